//! What sends a request: `send` for a JSON reply; for a download, `to_file`, `to_dir` and
//! `to_writer`. None is `async`: each hands the request's `outgoing()` to one of the
//! runtime's generic futures, so that an endpoint adds no future type of its own (the
//! futures are `'static`, bar a writer's borrow, and can be spawned).

use crate::emit::tokens::{docs, ident};
use crate::model::Endpoint;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(super) fn send_method(e: &Endpoint, info_static: &Ident, error: &Ident) -> TokenStream {
    let response = ident(e.json_response().unwrap_or_default());
    let doc = docs(&format!(
        "Sends `{} {}` and decodes the reply into [`{}`]: a future of its own, to `.await` \
         or spawn.{}",
        e.method.as_str(),
        e.path_template,
        e.json_response().unwrap_or_default(),
        if e.idempotent {
            ""
        } else {
            "\n\nNot idempotent: it is sent again only after a failure that proves the server \
             did not act on it (connection refused, throttled, an upload's file cut before its \
             end); any other failure is returned, saying the server may or may not have acted."
        }
    ));
    quote! {
        #doc
        pub fn send(self) -> ::taskapi_runtime::BoxFuture<'static, ::std::result::Result<#response, #error>> {
            self.core.send(&#info_static, self.outgoing(), self.options)
        }
    }
}

pub(super) fn download_methods(e: &Endpoint, info_static: &Ident, error: &Ident) -> TokenStream {
    let sends = format!("`{} {}`", e.method.as_str(), e.path_template);
    let file_doc = docs(&format!(
        "Sends {sends} and writes the file to `path`, streamed: through a temporary file \
         beside it, renamed onto `path` only once complete and checked against its announced \
         length (a failed download leaves nothing under `path`). A body cut mid-way is resumed \
         by range, or started again. Returns the bytes written."
    ));
    let dir_doc = docs(&format!(
        "Sends {sends} and writes the file into the folder `dir`, under the name the server \
         gives (its `Content-Disposition`) made safe, else `download`, as `curl -OJ` does: \
         written like [`to_file`](Self::to_file), and never replacing a file that is there. \
         Returns the file's path and length."
    ));
    let writer_doc = docs(&format!(
        "Sends {sends} and streams the file into `writer`. A body cut mid-way is resumed by \
         range when the server allows it; otherwise the download fails. Returns the bytes written."
    ));
    let future = |lifetime: TokenStream, output: TokenStream| -> TokenStream {
        quote!(::taskapi_runtime::BoxFuture<#lifetime, ::std::result::Result<#output, #error>>)
    };
    let bytes_static = future(quote!('static), quote!(u64));
    let downloaded_static = future(quote!('static), quote!(::taskapi_runtime::Downloaded));
    let bytes_a = future(quote!('a), quote!(u64));
    let downloaded_a = future(quote!('a), quote!(::taskapi_runtime::Downloaded));
    quote! {
        /// Refuses a file larger than `bytes` (default: no limit; the cap on JSON replies
        /// does not apply to files).
        pub fn max_bytes(mut self, bytes: u64) -> Self {
            self.transfer = self.transfer.max_bytes(bytes);
            self
        }

        /// Calls `report` as the file arrives (every 64 KiB or so, and at the end).
        pub fn on_progress(
            mut self,
            report: impl ::std::ops::Fn(&::taskapi_runtime::TransferProgress) + ::std::marker::Send + ::std::marker::Sync + 'static,
        ) -> Self {
            self.transfer = self.transfer.on_progress(::std::sync::Arc::new(report));
            self
        }

        #file_doc
        pub fn to_file(self, path: impl ::std::convert::AsRef<::std::path::Path>) -> #bytes_static {
            let target = ::taskapi_runtime::DownloadTarget::Path(path.as_ref().to_owned());
            ::taskapi_runtime::bytes_written(self.fetch_into(target))
        }

        #dir_doc
        pub fn to_dir(self, dir: impl ::std::convert::AsRef<::std::path::Path>) -> #downloaded_static {
            self.fetch_into(::taskapi_runtime::DownloadTarget::Dir(dir.as_ref().to_owned()))
        }

        #writer_doc
        pub fn to_writer<'a>(
            self,
            writer: &'a mut (dyn ::taskapi_runtime::AsyncWrite + ::std::marker::Unpin + ::std::marker::Send),
        ) -> #bytes_a {
            ::taskapi_runtime::bytes_written(self.fetch_into(::taskapi_runtime::DownloadTarget::Writer(writer)))
        }

        fn fetch_into<'a>(self, target: ::taskapi_runtime::DownloadTarget<'a>) -> #downloaded_a {
            self.core.download(&#info_static, self.outgoing(), self.options, target, self.transfer)
        }
    }
}
