//! Facts read from each fixture page, against values read off the page by hand (for the seeds,
//! the values the checked-in specs under specs/ hold, where the page states them).

mod common;

use common::*;
use docread::{Field, Rendering};

// ---------------------------------------------------------------------------------------------
// Seeds (the pages the specs were made from)

#[test]
fn seed_000_vc_export_get() {
    let (_, page) = read("seed/000_8a951600f2d8f398.txt", &[]);
    let f = &page.facts;
    assert_eq!(page.rendering, Rendering::Seed);
    assert_eq!(value(&f.title), "查询导出任务结果");
    assert_eq!(value(&f.description), "查看异步导出的进度。");
    assert_eq!((f.url.clone(), f.updated.clone()), (None, None));
    assert_eq!(value(&f.method), "GET");
    assert_eq!(value(&f.host), "https://open.feishu.cn");
    assert_eq!(value(&f.path), "/open-apis/vc/v1/exports/{task_id}");
    assert_eq!(
        values(&f.token_kinds),
        ["tenant_access_token", "user_access_token"]
    );
    assert_eq!(values(&f.app_types), ["custom", "isv"]);
    assert_eq!(scopes(&page), [("vc:export", "导出视频会议信息")]);
    assert!(f.rate_limit.is_none(), "the seed has no 接口频率限制 row");
    let task_id = field(&f.path_params, "task_id");
    assert_eq!((task_id.ty.as_str(), task_id.required), ("string", None));
    assert_eq!(task_id.description, "任务id");
    assert!(f.query_params.is_empty() && f.body.is_empty() && f.response.is_empty());
    assert!(f.request_example.is_none());
    assert_eq!(json(&f.reply_example)["data"]["status"], 3);
    assert_eq!(f.errors.len(), 5);
    let e = error(&page, "121005");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(403), "no permission")
    );
    assert_eq!(
        e.hint,
        "无权限进行该操作，建议检查token类型、操作者身份以及资源的归属"
    );
    assert_eq!(error(&page, "121004").http_status, Some(404));
}

#[test]
fn seed_001_drive_export_task_get() {
    let (_, page) = read("seed/001_2d04b8c2ff88009e.txt", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.title), "查询导出任务结果");
    assert_eq!(
        value(&f.description),
        "根据[创建导出任务](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/create)返回的导出任务 ID（ticket）轮询导出任务结果，并返回导出文件的 token。你可使用该 token 继续调用[下载导出文件](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/download)接口将导出的产物下载到本地。了解完整的导出文件步骤，参考[导出飞书云文档概述](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/export-user-guide)。"
    );
    assert_eq!(value(&f.method), "GET");
    assert_eq!(value(&f.path), "/open-apis/drive/v1/export_tasks/{ticket}");
    assert_eq!(values(&f.app_types), ["custom"]);
    // One description shared by both names: they pair.
    assert_eq!(
        scopes(&page),
        [
            ("docs:document:export", "导出云文档"),
            ("drive:export:readonly", "导出云文档")
        ]
    );
    let ticket = field(&f.path_params, "ticket");
    assert_eq!(
        ticket.description,
        "导出任务 ID。调用[创建导出任务](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/create) 获取。"
    );
    let token = field(&f.query_params, "token");
    assert_eq!((token.ty.as_str(), token.required), ("string", Some(true)));
    assert_eq!(
        token.description,
        "要导出的云文档的 token。获取方式参考[如何获取云文档相关 token](/ssl:ttdoc/ukTMukTMukTM/uczNzUjL3czM14yN3MTN#08bb5df6)。你可参考以下请求示例了解如何使用查询参数。"
    );
    let reply = json(&f.reply_example);
    assert_eq!(
        reply["data"]["result"]["file_token"],
        "boxcnxe5OdjlAkNgSNdsJvabcef"
    );
    assert_eq!(f.errors.len(), 4);
    let e = error(&page, "1069902");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(403), "no permission")
    );
    assert_eq!(
        e.hint,
        "当前访问身份没有文档阅读或编辑权限。请参考以下方式解决：<br>- 如果你使用的是 `tenant_access_token`，意味着当前应用没有文档阅读或编辑权限。你需通过云文档网页页面右上方 **「...」** -> **「...更多」** ->**「添加文档应用」** 入口为应用添加文档权限。<br>- 如果你使用的是 `user_access_token`，意味着当前用户没有文档阅读或编辑权限。你需通过云文档网页页面右上方 **分享** 入口为当前用户添加文档权限。<br><br>了解具体操作步骤或其它添加权限方式，参考[云文档常见问题 3](/ssl:ttdoc/ukTMukTMukTM/uczNzUjL3czM14yN3MTN#16c6475a)。"
    );
    assert_eq!(error(&page, "1069906").http_status, Some(410));
}

#[test]
fn seed_002_drive_import_task_get() {
    // The two 权限要求 rows list descriptions and names in different orders (the raw page
    // pairs docs:document:import with 查看、创建云文档导入任务, the seed lists 下载 first).
    let (_, page) = read(
        "seed/002_59a75d94eb751acf.txt",
        &["scope names and 3 descriptions apart"],
    );
    let f = &page.facts;
    assert_eq!(page.problems[0].line, 14);
    assert_eq!(value(&f.title), "查询导入结果");
    assert_eq!(value(&f.path), "/open-apis/drive/v1/import_tasks/{ticket}");
    assert_eq!(
        scopes(&page),
        [
            ("docs:document:import", ""),
            ("drive:drive", ""),
            ("drive:drive:readonly", "")
        ]
    );
    assert_eq!(
        field(&f.path_params, "ticket").description,
        "导入任务 ID。调用[创建导入任务](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/import_task/create) 获取"
    );
    assert_eq!(json(&f.reply_example)["data"]["result"]["extra"][0], "2000");
    assert_eq!(f.errors.len(), 14);
    // A cell ending in <br> keeps it (the spec does too).
    let e = error(&page, "1069903");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(500), "internal error")
    );
    assert_eq!(
        e.hint,
        "服务内部错误，请联系[技术支持](https://applink.feishu.cn/TLJpeNdW)<br>"
    );
    let e = error(&page, "1069908");
    assert_eq!(e.message, "mount point not found or no permission");
    assert!(
        e.hint
            .contains("<br>1. 检查文件夹的 token 是否填写正确<br>2. 检查当前身份")
    );
    assert!(
        e.hint
            .contains("<br>    - 如果你使用的是 `tenant_access_token`")
    );
}

#[test]
fn seed_003_drive_file_task_check() {
    let (_, page) = read(
        "seed/003_d2e550c883eedfb4.txt",
        &["scope names and 3 descriptions apart"],
    );
    let f = &page.facts;
    assert_eq!(value(&f.title), "查询异步任务状态");
    assert_eq!(
        value(&f.description),
        "查询异步任务的状态信息。目前支持查询删除文件夹和移动文件夹的异步任务。"
    );
    assert_eq!(value(&f.path), "/open-apis/drive/v1/files/task_check");
    assert_eq!(values(&f.app_types), ["custom", "isv"]);
    let names: Vec<&str> = scopes(&page).iter().map(|s| s.0).collect();
    assert_eq!(
        names,
        [
            "drive:drive",
            "drive:drive.metadata:readonly",
            "drive:drive:readonly"
        ]
    );
    assert!(f.path_params.is_empty());
    let task_id = field(&f.query_params, "task_id");
    assert_eq!(task_id.required, Some(true));
    assert_eq!(
        task_id.description,
        "异步任务的 ID。目前支持查询删除文件夹和移动文件夹的异步任务。可通过调用[删除文件夹](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/file/delete)或[移动文件夹](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/file/move)获取任务 ID"
    );
    assert_eq!(json(&f.reply_example)["data"]["status"], "success");
    let codes: Vec<&str> = f.errors.iter().map(|e| e.value.code.as_str()).collect();
    assert_eq!(codes, ["1061001", "1061002", "1061003"]);
    let e = error(&page, "1061001");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(500), "internal error.")
    );
    assert_eq!(e.hint, "服务内部错误，如超时等。请联系技术支持。");
}

#[test]
fn seed_004_dingtalk_task_info() {
    let (_, page) = read("seed/004_2709044e5c8e06ed.txt", &[]);
    let f = &page.facts;
    assert_eq!(page.rendering, Rendering::DingTalk);
    assert!(f.title.is_none(), "the page has no title line");
    assert_eq!(
        value(&f.description),
        "通过Task查询任务状态,可与复制文档结合使用。"
    );
    assert_eq!(value(&f.method), "GET");
    assert_eq!(value(&f.host), "https://api.dingtalk.io");
    assert_eq!(value(&f.path), "/v2.0/doc/task/info/{taskId}");
    assert_eq!(values(&f.app_types), ["企业内部应用"]);
    assert_eq!(values(&f.token_kinds), ["access_token"]);
    assert_eq!(
        scopes(&page),
        [("SNS.Document.WorkspaceDocument.Read", "SNS知识库文档读权限")]
    );
    let header = field(&f.header_params, "x-acs-dingtalk-access-token");
    assert_eq!((header.ty.as_str(), header.required), ("string", None));
    let task_id = field(&f.path_params, "taskId");
    assert_eq!(task_id.ty, "string");
    assert_eq!(task_id.description, "任务id,可通过复制文档接口获取。");
    assert!(
        f.request_example.is_none(),
        "a GET: the request example has no body"
    );
    assert_eq!(
        names(&f.response),
        ["taskId", "status", "totalCount", "succCount", "failCount"]
    );
    let status = field(&f.response, "status");
    assert_eq!(
        (status.ty.as_str(), status.description.as_str()),
        ("integer", "任务状态")
    );
    assert_eq!(
        enum_pairs(status),
        [
            ("-1", "等待中"),
            ("0", "执行中"),
            ("1", "成功"),
            ("2", "部分失败"),
            ("3", "全部失败"),
            ("4", "失败")
        ]
    );
    assert_eq!(field(&f.response, "succCount").description, "成功数量。");
    assert_eq!(json(&f.reply_example)["status"], 2);
    let rows: Vec<(Option<u16>, &str, &str, &str)> = f
        .errors
        .iter()
        .map(|e| {
            (
                e.value.http_status,
                e.value.code.as_str(),
                e.value.message.as_str(),
                e.value.hint.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (Some(400), "paramError", "%s", "参数错误"),
            (Some(500), "systemError", "%s", "服务繁忙,请稍后重试"),
            (Some(500), "unknownError", "Unknown Error", "未知错误"),
            (Some(503), "operationTimeout", "%s", "请求超时"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Raw (<md-table>) pages

#[test]
fn raw_export_task_create() {
    let (_, page) = read("raw/feishu.drive.export_task.create.md", &[]);
    let f = &page.facts;
    assert_eq!(page.rendering, Rendering::Raw);
    assert_eq!(value(&f.title), "创建导出任务");
    assert_eq!(
        value(&f.url),
        "https://open.feishu.cn/document/server-docs/docs/drive-v1/export_task/create"
    );
    assert_eq!(value(&f.updated), "2025-02-25");
    let description = value(&f.description);
    assert!(description.starts_with("该接口用于创建导出文件的任务，并返回导出任务 ID。"));
    assert!(description.ends_with(
        "(/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/export_task/export-user-guide)。"
    ));
    assert!(!description.contains("尝试一下"));
    assert_eq!(value(&f.method), "POST");
    assert_eq!(value(&f.path), "/open-apis/drive/v1/export_tasks");
    let limit = value(&f.rate_limit);
    assert_eq!(
        (limit.per_minute, limit.per_second, limit.special),
        (Some(100), None, false)
    );
    assert_eq!(
        limit.text,
        "[100 次/分钟](/ssl:ttdoc/ukTMukTMukTM/uUzN04SN3QjL1cDN)"
    );
    assert_eq!(values(&f.app_types), ["custom"]);
    assert_eq!(
        scopes(&page),
        [
            ("docs:document:export", "导出云文档"),
            ("drive:export:readonly", "导出云文档")
        ]
    );
    assert_eq!(
        values(&f.token_kinds),
        ["tenant_access_token", "user_access_token"]
    );
    assert_eq!(names(&f.header_params), ["Authorization", "Content-Type"]);
    assert_eq!(
        field(&f.header_params, "Content-Type").example.as_deref(),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        names(&f.body),
        ["file_extension", "token", "type", "sub_id"]
    );
    let ext = field(&f.body, "file_extension");
    assert_eq!(
        (ext.ty.as_str(), ext.required, ext.example.as_deref()),
        ("string", Some(true), Some("csv"))
    );
    assert_eq!(
        enum_pairs(ext),
        [
            ("docx", "Microsoft Word 格式"),
            ("pdf", "PDF 格式"),
            ("xlsx", "Microsoft Excel 格式"),
            ("csv", "CSV 格式")
        ]
    );
    let token = field(&f.body, "token");
    assert_eq!(
        (token.max_length, token.example.as_deref()),
        (Some(27), Some("Fm7osyjtMh5o7Ktrv32c73abcef"))
    );
    assert_eq!(
        token.description,
        "要导出的云文档的 token。获取方式参考 [如何获取云文档相关 token](/ssl:ttdoc/ukTMukTMukTM/uczNzUjL3czM14yN3MTN#08bb5df6)。"
    );
    assert_eq!(
        field(&f.body, "type").description,
        "要导出的云文档的类型 。可通过云文档的链接判断。"
    );
    assert_eq!(field(&f.body, "type").enum_values.len(), 4);
    let sub_id = field(&f.body, "sub_id");
    assert_eq!(sub_id.required, Some(false));
    assert_eq!(
        sub_id.description,
        "导出飞书电子表格或多维表格为 CSV 文件时，需传入电子表格工作表的 ID 或多维表格数据表的 ID：<br>- 电子表格可调用[获取工作表](/ssl:ttdoc/ukTMukTMukTM/uUDN04SN0QjL1QDN/sheets-v3/spreadsheet-sheet/query) 接口获取返回的 `sheet_id` 的值作为该参数的值<br>- 多维表格可调用[列出数据表](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/bitable-v1/app-table/list)接口获取返回的 `table_id` 的值作为该参数的值"
    );
    assert_eq!(json(&f.request_example)["sub_id"], "6e5ed3");
    assert_eq!(names(&f.response), ["ticket"]);
    assert_eq!(field(&f.response, "ticket").description, "导出任务的 ID");
    assert_eq!(
        json(&f.reply_example)["data"]["ticket"],
        "6933093124755423251"
    );
    // Both error tables, the second one (hybrid deployments) without its <md-thead> opening.
    assert_eq!(f.errors.len(), 8);
    let e = error(&page, "1069918");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(400), "file extension and<br> type mismatch")
    );
    let e = error(&page, "600");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(200), "hybrid resource expired")
    );
    assert_eq!(e.hint, "混合部署数据已转移到私有化机房，请稍后重试");
    assert!(
        error(&page, "1069902")
            .hint
            .contains("<br><br>了解具体操作步骤")
    );
}

#[test]
fn raw_media_upload_all() {
    let (_, page) = read("raw/feishu.drive.media.upload_all.md", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.path), "/open-apis/drive/v1/medias/upload_all");
    let limit = value(&f.rate_limit);
    assert_eq!(
        (limit.per_minute, limit.per_second, limit.special),
        (None, None, true)
    );
    assert_eq!(values(&f.app_types), ["custom", "isv"]);
    assert_eq!(f.scopes.len(), 5);
    assert_eq!(
        scopes(&page)[2],
        ("docs:document.media:upload", "上传图片和附件到云文档中")
    );
    assert_eq!(
        names(&f.body),
        [
            "file_name",
            "parent_type",
            "parent_node",
            "size",
            "checksum",
            "extra",
            "file"
        ]
    );
    assert_eq!(field(&f.body, "file_name").max_length, Some(250));
    let parent_type = field(&f.body, "parent_type");
    assert_eq!(parent_type.enum_values.len(), 11);
    assert_eq!(
        enum_pairs(parent_type)[6],
        ("vc_virtual_background", "vc 虚拟背景（灰度中，暂未开放）")
    );
    let size = field(&f.body, "size");
    assert_eq!(
        (size.ty.as_str(), size.example.as_deref(), size.max_length),
        ("int", Some("1024"), None)
    );
    // A quoted example with escaped quotes is unquoted.
    assert_eq!(
        field(&f.body, "extra").example.as_deref(),
        Some(r#"{"drive_route_token":"doxcnXgNGAtaAraIRVeCfmabcef"}"#)
    );
    assert_eq!(field(&f.body, "file").ty, "file");
    // The request example is a multipart form, no JSON.
    assert!(f.request_example.is_none());
    assert_eq!(names(&f.response), ["file_token"]);
    assert_eq!(f.errors.len(), 35);
    let e = error(&page, "1061004");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(403), "forbidden.")
    );
    assert!(e.hint.starts_with(
        "当前调用身份没有文件或文件夹的阅读或编辑等权限。请参考以下方式解决：<br><br>- 若上传素材"
    ));
    assert!(e.hint.contains("<br>    - 对于新建文件接口"));
    assert_eq!(
        error(&page, "1062009").message,
        "the actual size is inconsistent with the parameter declaration size."
    );
}

#[test]
fn raw_file_move() {
    let (_, page) = read("raw/feishu.drive.file.move.md", &[]);
    let f = &page.facts;
    assert_eq!(
        value(&f.path),
        "/open-apis/drive/v1/files/{file_token}/move"
    );
    assert_eq!(value(&f.rate_limit).per_minute, Some(20));
    assert_eq!(
        field(&f.path_params, "file_token").description,
        "需要移动的文件或文件夹 token。<br><br>了解如何获取文件 token，参考[文件概述](/ssl:ttdoc/uAjLw4CM/ukTMukTMukTM/reference/drive-v1/file/file-overview)。<br><br>了解如何获取文件夹 token，参考[文件夹概述](/ssl:ttdoc/ukTMukTMukTM/ugTNzUjL4UzM14CO1MTN/folder-overview)。"
    );
    let ty = field(&f.body, "type");
    // The page marks it optional (and says in words that it is required).
    assert_eq!(ty.required, Some(false));
    assert_eq!(ty.enum_values.len(), 8);
    assert_eq!(enum_pairs(ty)[5], ("mindnote", "思维笔记类型"));
    assert_eq!(json(&f.request_example)["type"], "file");
    assert_eq!(names(&f.response), ["task_id"]);
    assert_eq!(f.errors.len(), 8);
}

#[test]
fn raw_file_delete() {
    let (_, page) = read("raw/feishu.drive.file.delete.md", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.method), "DELETE");
    assert_eq!(value(&f.path), "/open-apis/drive/v1/files/{file_token}");
    assert!(value(&f.rate_limit).special);
    assert_eq!(
        scopes(&page)[1],
        ("space:document:delete", "删除云空间文件夹和云文档")
    );
    let ty = field(&f.query_params, "type");
    assert_eq!(
        (ty.required, ty.example.as_deref()),
        (Some(true), Some("file"))
    );
    assert_eq!(ty.enum_values.len(), 9);
    assert_eq!(ty.enum_values[8].value, "slides");
    assert!(f.body.is_empty() && f.request_example.is_none());
    assert_eq!(names(&f.response), ["task_id"]);
    assert_eq!(f.errors.len(), 9);
    assert_eq!(error(&page, "1062502").http_status, Some(403));
}

#[test]
fn raw_import_task_create() {
    let (_, page) = read("raw/feishu.drive.import_task.create.md", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.path), "/open-apis/drive/v1/import_tasks");
    assert_eq!(
        names(&f.body),
        ["file_extension", "file_token", "type", "file_name", "point"]
    );
    // level="1" rows nest under `point`.
    let point = field(&f.body, "point");
    assert_eq!(
        (point.ty.as_str(), point.required),
        ("import_task_mount_point", Some(true))
    );
    assert_eq!(names(&point.children), ["mount_type", "mount_key"]);
    assert_eq!(point.children[0].ty, "int");
    assert_eq!(point.children[0].enum_values.len(), 1);
    assert!(
        field(&f.body, "file_extension")
            .description
            .contains("<br><br>**注意**：此处填写的文件扩展名")
    );
    assert_eq!(json(&f.request_example)["point"]["mount_type"], 1);
    assert_eq!(names(&f.response), ["ticket"]);
    assert_eq!(f.errors.len(), 15);
}

#[test]
fn raw_export_task_download() {
    let (_, page) = read("raw/feishu.drive.export_task.download.md", &[]);
    let f = &page.facts;
    assert_eq!(
        value(&f.path),
        "/open-apis/drive/v1/export_tasks/file/{file_token}/download"
    );
    assert_eq!(value(&f.updated), "2024-06-14");
    assert_eq!(names(&f.path_params), ["file_token"]);
    // A binary reply: no reply table or JSON example.
    assert!(f.response.is_empty() && f.reply_example.is_none());
    assert_eq!(f.errors.len(), 1);
    let e = error(&page, "1060001");
    assert_eq!(
        (e.http_status, e.message.as_str(), e.hint.as_str()),
        (Some(400), "param is invalid", "参数错误。")
    );
}

#[test]
fn raw_export_task_get_nested_reply() {
    let (_, page) = read("raw/feishu.drive.export_task.get.md", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.path), "/open-apis/drive/v1/export_tasks/{ticket}");
    let token = field(&f.query_params, "token");
    assert_eq!((token.required, token.max_length), (Some(true), Some(27)));
    assert_eq!(names(&f.response), ["result"]);
    let result = field(&f.response, "result");
    assert_eq!(result.ty, "export_task");
    assert_eq!(
        names(&result.children),
        [
            "file_extension",
            "type",
            "file_name",
            "file_token",
            "file_size",
            "job_error_msg",
            "job_status"
        ]
    );
    let status = field(&result.children, "job_status");
    assert_eq!(status.enum_values.len(), 12);
    assert_eq!(enum_pairs(status)[11], ("6000", "导出文档图片过多"));
    assert_eq!(json(&f.reply_example)["data"]["result"]["job_status"], 0);
}

#[test]
fn raw_im_message_create() {
    let (_, page) = read("raw/feishu.im.message.create.md", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.title), "发送消息");
    assert_eq!(value(&f.path), "/open-apis/im/v1/messages");
    let limit = value(&f.rate_limit);
    assert_eq!((limit.per_minute, limit.per_second), (Some(1000), Some(50)));
    assert_eq!(values(&f.token_kinds), ["tenant_access_token"]);
    let receive_id_type = field(&f.query_params, "receive_id_type");
    assert_eq!(receive_id_type.required, Some(true));
    assert_eq!(receive_id_type.enum_values.len(), 5);
    assert_eq!(receive_id_type.enum_values[4].value, "chat_id");
    assert_eq!(
        names(&f.body),
        ["receive_id", "msg_type", "content", "uuid"]
    );
    assert_eq!(field(&f.body, "uuid").max_length, Some(50));
    let sender = field(&f.response, "sender");
    assert_eq!(
        names(&sender.children),
        ["id", "id_type", "sender_type", "tenant_key"]
    );
    assert_eq!(names(&field(&f.response, "body").children), ["content"]);
    json(&f.request_example);
    assert_eq!(json(&f.reply_example)["data"]["msg_type"], "interactive");
    // The 230099 子错误码 table under its own heading is no part of the 错误码 section.
    assert_eq!(f.errors.len(), 25);
    assert_eq!(error(&page, "230001").http_status, Some(400));
}

#[test]
fn raw_helpdesk_list_markers_inside_levels() {
    // Names carry `∟ ` markers inside their <md-text>, and the rows have levels too.
    let (_, page) = read("raw/feishu.helpdesk.ticket_customized_field.list.md", &[]);
    let f = &page.facts;
    assert_eq!(names(&f.response), ["has_more", "next_page_token", "items"]);
    let items = field(&f.response, "items");
    assert_eq!(items.ty, "ticket_customized_field[]");
    assert!(
        items
            .children
            .iter()
            .any(|c| c.name == "created_by" && !c.children.is_empty())
    );
    assert!(f.response.iter().all(|r| !r.name.contains('∟')));
    assert_eq!(values(&f.token_kinds), ["tenant_access_token"]);
}

#[test]
fn raw_wiki_search_old_style_pipe_tables() {
    // An older raw page: pipe tables, 凭证要求 for the token, `&nbsp; ∟` markers.
    let (_, page) = read("raw/feishu.wiki.node.search.md", &[]);
    let f = &page.facts;
    assert_eq!(page.rendering, Rendering::Raw);
    assert_eq!(value(&f.method), "POST");
    assert_eq!(value(&f.path), "/open-apis/wiki/v2/nodes/search");
    assert_eq!(values(&f.token_kinds), ["user_access_token"]);
    assert!(
        f.scopes.is_empty(),
        "权限要求 names no scope, only 查看知识库"
    );
    let page_size = field(&f.query_params, "page_size");
    assert_eq!(
        (page_size.ty.as_str(), page_size.required),
        ("int", Some(false))
    );
    assert_eq!(field(&f.body, "query").required, Some(true));
    assert_eq!(names(&f.response), ["items", "page_token", "has_more"]);
    assert_eq!(field(&f.response, "items").children.len(), 9);
    json(&f.request_example);
    json(&f.reply_example);
    let e = error(&page, "10002");
    assert_eq!(
        (e.http_status, e.message.as_str()),
        (Some(200), "network anomaly, please try again")
    );
}

// ---------------------------------------------------------------------------------------------
// Pipe pages

#[test]
fn pipe_vc_export_meeting_list() {
    let (_, page) = read("pipe/feishu.vc.export.meeting_list.md", &[]);
    let f = &page.facts;
    assert_eq!(page.rendering, Rendering::Pipe);
    assert_eq!(value(&f.title), "导出会议明细");
    assert_eq!(
        value(&f.url),
        "https://open.feishu.cn/document/server-docs/vc-v1/export/meeting_list"
    );
    assert_eq!(value(&f.updated), "2024-07-23");
    assert_eq!(
        value(&f.description),
        "导出会议明细，具体权限要求请参考资源介绍。"
    );
    assert_eq!(value(&f.method), "POST");
    assert_eq!(value(&f.path), "/open-apis/vc/v1/exports/meeting_list");
    assert_eq!(value(&f.rate_limit).per_minute, Some(100));
    assert_eq!(values(&f.app_types), ["自建应用", "商店应用"]);
    // 字段权限要求 is no scope of the call.
    assert_eq!(scopes(&page), [("vc:export", "导出视频会议信息")]);
    assert_eq!(
        values(&f.token_kinds),
        ["tenant_access_token", "user_access_token"]
    );
    let user_id_type = field(&f.query_params, "user_id_type");
    assert_eq!(user_id_type.description, "用户 ID 类型");
    assert_eq!(user_id_type.example.as_deref(), Some("open_id"));
    assert_eq!(user_id_type.enum_values.len(), 3);
    assert!(
        user_id_type.enum_values[0]
            .meaning
            .starts_with("标识一个用户在某个应用中的身份。")
    );
    assert_eq!(
        names(&f.body),
        [
            "start_time",
            "end_time",
            "meeting_status",
            "meeting_no",
            "user_id",
            "room_id",
            "meeting_type"
        ]
    );
    let status = field(&f.body, "meeting_status");
    assert_eq!(
        (
            status.ty.as_str(),
            status.required,
            status.example.as_deref()
        ),
        ("int", Some(false), Some("2"))
    );
    assert_eq!(
        enum_pairs(status),
        [("1", "进行中"), ("2", "已结束"), ("3", "待召开")]
    );
    assert_eq!(
        field(&f.body, "meeting_type").enum_values[0].meaning,
        "全部类型（默认）"
    );
    assert_eq!(json(&f.request_example)["meeting_type"], 2);
    assert_eq!(names(&f.response), ["task_id"]);
    assert_eq!(f.errors.len(), 5);
    assert_eq!(
        error(&page, "121003").hint,
        "参数错误，检查参数的取值范围（请按照上面字段说明自查）"
    );
}

#[test]
fn pipe_vc_export_participant_lists() {
    for (rel, required) in [
        ("pipe/feishu.vc.export.participant_list.md", "meeting_no"),
        (
            "pipe/feishu.vc.export.participant_quality_list.md",
            "join_time",
        ),
    ] {
        let (_, page) = read(rel, &[]);
        let f = &page.facts;
        assert_eq!(value(&f.method), "POST");
        assert!(value(&f.path).starts_with("/open-apis/vc/v1/exports/participant"));
        assert_eq!(field(&f.body, required).required, Some(true), "{rel}");
        assert_eq!(field(&f.body, "user_id").required, Some(false), "{rel}");
        assert_eq!(names(&f.response), ["task_id"]);
        json(&f.request_example);
        json(&f.reply_example);
        assert_eq!(f.errors.len(), 5);
    }
}

#[test]
fn pipe_vc_export_resource_reservation_list() {
    let (_, page) = read("pipe/feishu.vc.export.resource_reservation_list.md", &[]);
    let f = &page.facts;
    assert_eq!(
        value(&f.path),
        "/open-apis/vc/v1/exports/resource_reservation_list"
    );
    assert!(f.query_params.is_empty());
    let room_ids = field(&f.body, "room_ids");
    assert_eq!(
        (room_ids.ty.as_str(), room_ids.required),
        ("string[]", Some(false))
    );
    assert_eq!(field(&f.body, "room_level_id").required, Some(true));
    json(&f.request_example);
    assert_eq!(names(&f.response), ["task_id"]);
}

#[test]
fn pipe_vc_export_download() {
    let (_, page) = read("pipe/feishu.vc.export.download.md", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.method), "GET");
    assert_eq!(value(&f.path), "/open-apis/vc/v1/exports/download");
    let token = field(&f.query_params, "file_token");
    assert_eq!(
        (token.required, token.description.as_str()),
        (Some(true), "文档token")
    );
    assert_eq!(
        token.example.as_deref(),
        Some("6yHu7Igp7Igy62Ez6fLr6IJz7j9i5WMe6fHq5yZeY2Jz6yLqYAMAY46fZfEz64Lr5fYyYQ==")
    );
    assert!(f.response.is_empty() && f.reply_example.is_none() && f.request_example.is_none());
    assert_eq!(f.errors.len(), 5);
}

#[test]
fn pipe_export_task_get_nests_by_example() {
    // The pipe rendering prints the reply table flat; the example nests it.
    let (_, page) = read("pipe/feishu.drive.export_task.get.md", &[]);
    let f = &page.facts;
    assert_eq!(value(&f.path), "/open-apis/drive/v1/export_tasks/{ticket}");
    assert_eq!(names(&f.response), ["result"]);
    let result = field(&f.response, "result");
    assert_eq!(result.children.len(), 7);
    assert_eq!(field(&result.children, "job_status").enum_values.len(), 12);
    // Absolute links in this rendering.
    assert!(
        field(&f.query_params, "token")
            .description
            .contains("(https://open.feishu.cn/document/")
    );
    // The same page read from its raw rendering yields the same fields.
    let (_, raw) = read("raw/feishu.drive.export_task.get.md", &[]);
    assert_eq!(shape(&f.response), shape(&raw.facts.response));
    assert_eq!(shape(&f.query_params), shape(&raw.facts.query_params));
}

/// Names, types, `required` and enum counts of a field tree.
fn shape(fields: &[Field]) -> Vec<String> {
    fields
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{:?}:{}:{:?}",
                f.name,
                f.ty,
                f.required,
                f.enum_values.len(),
                shape(&f.children)
            )
        })
        .collect()
}

#[test]
fn pipe_upload_all_matches_raw() {
    let (_, pipe) = read("pipe/feishu.drive.media.upload_all.md", &[]);
    let (_, raw) = read("raw/feishu.drive.media.upload_all.md", &[]);
    let (p, r) = (&pipe.facts, &raw.facts);
    assert_eq!(value(&p.method), value(&r.method));
    assert_eq!(value(&p.path), value(&r.path));
    assert_eq!(value(&p.rate_limit).special, value(&r.rate_limit).special);
    assert_eq!(values(&p.app_types), ["自建应用", "商店应用"]);
    assert_eq!(scopes(&pipe), scopes(&raw));
    assert_eq!(shape(&p.body), shape(&r.body));
    assert_eq!(shape(&p.response), shape(&r.response));
    let codes = |f: &docread::Facts| -> Vec<(Option<u16>, String, String)> {
        f.errors
            .iter()
            .map(|e| {
                (
                    e.value.http_status,
                    e.value.code.clone(),
                    e.value.message.clone(),
                )
            })
            .collect()
    };
    assert_eq!(codes(p), codes(r));
    assert_eq!(field(&p.body, "file_name").max_length, Some(250));
    assert_eq!(
        field(&p.body, "extra").example.as_deref(),
        Some(r#"{"drive_route_token":"doxcnXgNGAtaAraIRVeCfmabcef"}"#)
    );
    // Multi-line hints: the pipe rendering has no blank lines inside cells.
    assert!(
        error(&pipe, "1061004")
            .hint
            .contains("<br>    - 对于新建文件接口")
    );
}

#[test]
fn pipe_helpdesk_create_markers() {
    // `&emsp;&emsp;∟&nbsp;` markers nest the rows; the page needs a helpdesk token header too.
    let (_, page) = read(
        "pipe/feishu.helpdesk.ticket_customized_field.create.md",
        &[],
    );
    let f = &page.facts;
    assert_eq!(
        value(&f.path),
        "/open-apis/helpdesk/v1/ticket_customized_fields"
    );
    assert!(f.rate_limit.is_none());
    assert_eq!(values(&f.token_kinds), ["user_access_token"]);
    assert_eq!(scopes(&page), [("helpdesk:all", "更新服务台资源详情")]);
    let options = field(&f.body, "dropdown_options");
    assert_eq!(names(&options.children), ["children"]);
    assert_eq!(
        names(&options.children[0].children),
        ["tag", "display_name", "children"]
    );
    assert_eq!(
        f.body.last().map(|b| b.name.as_str()),
        Some("dropdown_allow_multiple")
    );
    assert_eq!(field(&f.body, "visible").example.as_deref(), Some("true"));
    json(&f.request_example);
}

#[test]
fn pipe_im_message_create_matches_raw() {
    let (_, pipe) = read("pipe/feishu.im.message.create.md", &[]);
    let (_, raw) = read("raw/feishu.im.message.create.md", &[]);
    let (p, r) = (&pipe.facts, &raw.facts);
    assert_eq!(value(&p.path), value(&r.path));
    assert_eq!(value(&p.rate_limit).per_second, Some(50));
    assert_eq!(scopes(&pipe), scopes(&raw));
    assert_eq!(shape(&p.query_params), shape(&r.query_params));
    assert_eq!(shape(&p.body), shape(&r.body));
    assert_eq!(shape(&p.response), shape(&r.response));
    assert_eq!(p.errors.len(), r.errors.len());
}

// ---------------------------------------------------------------------------------------------
// DingTalk excerpts

#[test]
fn dingtalk_copy_english_excerpt() {
    let (_, page) = read("dingtalk/dingtalk.doc.copy.en-excerpt.txt", &[]);
    let f = &page.facts;
    assert_eq!(page.rendering, Rendering::DingTalk);
    assert_eq!(
        value(&f.description),
        "Call this API to copy a document in Knowledge Base or Drive."
    );
    assert_eq!(value(&f.method), "POST");
    assert_eq!(value(&f.path), "/v2.0/doc/dentries/copy");
    assert_eq!(
        scopes(&page),
        [(
            "SNS.Document.WorkspaceDocument.Write",
            "SNS知识库文档写权限"
        )]
    );
    let header = field(&f.header_params, "x-acs-dingtalk-access-token");
    assert_eq!(
        (header.ty.as_str(), header.required),
        ("string", Some(true))
    );
    // Flat in the text; the request example nests them under `param`.
    assert_eq!(names(&f.body), ["param"]);
    let param = field(&f.body, "param");
    assert_eq!((param.ty.as_str(), param.required), ("object", Some(true)));
    assert_eq!(
        names(&param.children),
        [
            "sourceDentryUuid",
            "targetParentDentryUuid",
            "targetPreDentryUuid"
        ]
    );
    assert_eq!(param.children[2].required, Some(false));
    assert_eq!(
        json(&f.request_example)["param"]["sourceDentryUuid"],
        "dentryUuid"
    );
    // The excerpt ends after the request example.
    assert!(f.response.is_empty() && f.errors.is_empty() && f.reply_example.is_none());
}

#[test]
fn dingtalk_copy_chinese_excerpt_with_pipe_tables() {
    let (_, page) = read("dingtalk/dingtalk.doc.copy.zh-excerpt.txt", &[]);
    let f = &page.facts;
    assert_eq!(page.rendering, Rendering::DingTalk);
    assert!(f.description.is_none(), "the excerpt starts at 请求");
    assert_eq!(value(&f.method), "POST");
    assert_eq!(value(&f.host), "https://api.dingtalk.io");
    assert_eq!(values(&f.app_types), ["企业内部应用"]);
    assert_eq!(values(&f.token_kinds), ["access_token"]);
    assert_eq!(
        field(&f.header_params, "x-acs-dingtalk-access-token").required,
        Some(true)
    );
    assert!(f.body.is_empty(), "the 请求体 heading has no table here");
    assert_eq!(
        json(&f.request_example)["param"]["targetPreDentryUuid"],
        "dentryUuid"
    );
}

// ---------------------------------------------------------------------------------------------
// Every fixture

/// Each fact's line holds it: a method its method, a field its name, an error row its code.
#[test]
fn facts_sit_on_their_lines() {
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let page = docread::read(&text);
        let f = &page.facts;
        let at = |what: &str, line: usize, needle: &str| {
            let l = line_of(&text, line);
            assert!(
                l.contains(needle),
                "{}: {what} {needle:?} not on line {line}: {l:?}",
                path.display()
            );
        };
        if let Some(m) = &f.method {
            at("method", m.line, &m.value);
        }
        if let Some(p) = &f.path {
            let last = p.value.rsplit('/').next().unwrap().trim_matches(['{', '}']);
            at("path", p.line, last);
        }
        if let Some(t) = &f.title {
            at("title", t.line, &t.value);
        }
        if let Some(d) = &f.description {
            at(
                "description",
                d.line,
                d.value.lines().next().unwrap().get(..9).unwrap_or(""),
            );
        }
        for s in &f.scopes {
            at("scope", s.line, &s.value.name);
        }
        for e in &f.errors {
            at("error", e.line, &e.value.code);
        }
        for ex in [&f.request_example, &f.reply_example].into_iter().flatten() {
            at("example", ex.line, ex.value.lines().next().unwrap());
        }
        let mut stack: Vec<&Field> = f
            .header_params
            .iter()
            .chain(&f.path_params)
            .chain(&f.query_params)
            .chain(&f.body)
            .chain(&f.response)
            .collect();
        while let Some(field) = stack.pop() {
            at("field", field.line, &field.name);
            stack.extend(&field.children);
        }
    }
}

fn line_of(text: &str, n: usize) -> &str {
    assert!(n >= 1, "line 0");
    common::line(text, n)
}
