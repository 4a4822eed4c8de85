//! An upload's body for one attempt: the form, its file opened and streamed, sent at most
//! once, and the watch on the file's pace while it goes out.
//!
//! Apart from the attempt because only forms need any of it: an attempt holds a pointer to
//! this state, so that calls without a file do not carry a form in their futures.

use super::core::Core;
use super::request::RequestBody;
use crate::error::{Failed, TransportError};
use crate::http;
use crate::transfer::{Meter, watch_upload};
use reqwest::multipart::Form;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A form for one attempt, taken by the first request built from it: its file is
/// streamed, so a redirect cannot send it again.
pub(super) struct FormOnce(Mutex<Option<Form>>);

impl FormOnce {
    /// The form, the first time; `None` after.
    pub(super) fn take(&self) -> Option<Form> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
    }
}

/// For a form, its file opened for one attempt: the form to send, and the meter its bytes
/// are counted on. `None` for any other body.
pub(super) async fn open_form(
    body: &RequestBody,
) -> Result<Option<(Box<FormOnce>, Arc<Meter>)>, Failed> {
    let RequestBody::Multipart {
        fields,
        file_part,
        file,
        ..
    } = body
    else {
        return Ok(None);
    };
    // Boxed, the opening of the file like the form, so that uploads add a pointer to the
    // state of every call's future, not a form.
    let (part, meter) = Box::pin(file.part()).await?;
    let form = fields
        .iter()
        .fold(Form::new(), |form, (name, value)| {
            form.text(*name, value.clone())
        })
        .part(*file_part, part);
    Ok(Some((Box::new(FormOnce(Mutex::new(Some(form)))), meter)))
}

impl Core {
    /// An upload's exchange, cut when its file's pace falls under the transfer policy's
    /// floor, or when no reply comes within `timeout` of its last byte. A failure before
    /// the file was sent whole proves the server did not act on it.
    pub(super) async fn upload(
        &self,
        exchange: impl std::future::Future<Output = Result<http::Exchanged, TransportError>>,
        meter: &Meter,
        timeout: Duration,
    ) -> Result<http::Exchanged, TransportError> {
        let watch = watch_upload(meter, self.transfer, timeout);
        let result =
            match futures_util::future::select(std::pin::pin!(exchange), std::pin::pin!(watch))
                .await
            {
                futures_util::future::Either::Left((exchanged, _)) => exchanged,
                futures_util::future::Either::Right((cut, _)) => Err(cut),
            };
        result.map_err(|mut error| {
            if !meter.is_done() {
                error.mark_body_unsent();
            }
            error
        })
    }
}
