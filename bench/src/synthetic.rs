//! Synthetic spec sets: one provider with N endpoints in groups of four shaped like the real
//! drive export and media endpoints, so generation and compile cost can be measured at sizes
//! the real specs will not reach for years. Each group, in order (a set of any size holds
//! whole groups and then a prefix of one, so every chain names an endpoint that is there):
//!
//! 0. a binary download (`GET .../files_{i}/{file_token}/download`, `content: binary`);
//! 1. a poller shaped like the drive export query (nested result, a 12-value status enum,
//!    four error codes, a waiter) whose result feeds the group's download (`download:` with
//!    the file's size);
//! 2. a start endpoint: `POST` with a JSON body (a string enum, an int64 carried as a string,
//!    an array, an object nesting an integer enum and another object) and a body example,
//!    whose reply `starts` the group's poller (a workflow: start, wait, fetch);
//! 3. a multipart upload (text parts with an enum, an integer, a bounded string, and one
//!    file part with a size limit).
//!
//! Groups go to [`FAMILIES`] API families in turn (`synthetic.family3.task13.get`), each
//! a Cargo feature of the generated crate.

use std::fmt::Write as _;
use std::path::Path;

/// What each endpoint of a group is, in the order written.
pub const GROUP: [&str; 4] = [
    "binary download",
    "poller with a waiter, feeding the download",
    "POST with a JSON body, starting the poller",
    "multipart upload",
];

/// Writes `specs/synthetic/` with `endpoints` endpoints under `root`.
pub fn write(root: &Path, endpoints: usize) -> std::io::Result<()> {
    let dir = root.join("specs/synthetic/endpoints");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(root.join("specs/synthetic/provider.yaml"), PROVIDER)?;
    for i in 0..endpoints {
        std::fs::write(dir.join(format!("task_{i:04}.yaml")), endpoint(i))?;
    }
    Ok(())
}

const PROVIDER: &str = "provider: synthetic
title: Synthetic
summary: A provider made up for benchmarks.
client: SyntheticClient
hosts:
  - name: synthetic
    base_url: https://synthetic.example
auth:
  header: Authorization
  scheme: Bearer
  token_env: SYNTHETIC_ACCESS_TOKEN
envelope:
  style: code_msg_data
  code_type: integer
request_id:
  headers: [X-Tt-Logid]
common_errors:
  - code: 99991400
    name: RateLimited
    message: request rate limited
    hint: 请求频率超过限制。
    retryable: true
  - code: 99991663
    name: InvalidAccessToken
    message: invalid access token
    hint: 访问令牌无效。
    invalidates_token: true
";

/// How many API families (Cargo features) the endpoints are spread over, a group at a time,
/// as a large provider spreads its endpoints over families (Feishu has dozens).
pub const FAMILIES: usize = 10;

/// The family segment of endpoint `i`'s id (`synthetic.family3.task13.get` is in feature
/// `synthetic-family3`): a group's endpoints share it, so its chains stay in one family.
fn family_of(i: usize) -> String {
    format!("family{}", (i / 4) % FAMILIES)
}

/// The Cargo feature of family `f` (`synthetic-family0`).
pub fn family_feature(f: usize) -> String {
    format!("synthetic-family{f}")
}

/// How many of a set of `endpoints` are in family `f`.
pub fn endpoints_in_family(f: usize, endpoints: usize) -> usize {
    (0..endpoints).filter(|i| (i / 4) % FAMILIES == f).count()
}

/// Endpoint `i`: its kind is `i % 4` (see the module's documentation).
fn endpoint(i: usize) -> String {
    let mut spec = match i % 4 {
        0 => download(i),
        1 => poller(i),
        2 => start(i),
        _ => upload(i),
    };
    errors(&mut spec, i);
    spec
}

fn download(i: usize) -> String {
    let family = family_of(i);
    format!(
        "id: synthetic.{family}.file{i}.download
operation: download_file_{i}
title: 下载文件 {i}
summary: Download synthetic file {i}.
description: 根据文件 token 下载文件。
method: GET
path: /open-apis/synthetic/v1/files_{i}/{{file_token}}/download
token_kinds: [tenant_access_token, user_access_token]
params:
  - name: file_token
    in: path
    type: string
    required: true
    example: boxcnxe5OdjlAkNgSNdsJvabcef
    description: 文件的 token。
response:
  content: binary
  description: 返回文件二进制流。
example: |
  {{\"code\": {code}, \"msg\": \"param is invalid\"}}
",
        code = error_code(i, 0)
    )
}

fn poller(i: usize) -> String {
    let family = family_of(i);
    let download = i - 1;
    let mut spec = format!(
        "id: synthetic.{family}.task{i}.get
operation: get_task_{i}
title: 查询任务 {i}
summary: Poll synthetic task {i}.
description: 根据任务 ID 轮询任务结果。
method: GET
path: /open-apis/synthetic/v1/tasks_{i}/{{ticket}}
token_kinds: [tenant_access_token, user_access_token]
params:
  - name: ticket
    in: path
    type: string
    required: true
    description: 任务 ID。
  - name: token
    in: query
    type: string
    required: true
    description: 文档 token。
response:
  name: TaskData{i}
  fields:
    - name: result
      type: object
      required: true
      object:
        name: TaskResult{i}
        fields:
          - {{name: file_token, type: string}}
          - {{name: file_name, type: string}}
          - {{name: file_size, type: integer}}
          - {{name: job_error_msg, type: string}}
          - name: job_status
            type: integer
            enum:
              name: TaskStatus{i}
              values:
"
    );
    for (value, name) in STATUSES {
        let _ = writeln!(
            spec,
            "                - {{value: {value}, name: {name}, description: 状态 {value}}}"
        );
    }
    let _ = write!(
        spec,
        "waiter:
  name: wait_task_{i}
  status: result.job_status
  pending: [1, 2]
  success: [0]
  failure: [3, 107, 108, 109, 110, 111, 122, 123, 6000]
  unknown: failure
  ready_when_set: result.file_token
  message: result.job_error_msg
  min_delay: 2
  max_delay: 30
  max_wait: 600
download:
  endpoint: synthetic.{family}.file{download}.download
  params:
    - {{param: file_token, reply: result.file_token}}
  size: result.file_size
example: |
  {{\"code\": 0, \"msg\": \"success\", \"data\": {{\"result\": {{\"job_status\": 0, \"file_token\": \"x\", \"file_size\": 1024}}}}}}
"
    );
    spec
}

fn start(i: usize) -> String {
    let family = family_of(i);
    let poller = i - 1;
    format!(
        "id: synthetic.{family}.task{i}.create
operation: create_task_{i}
title: 创建任务 {i}
summary: Start synthetic task {i}; the reply's ticket is polled with task {poller}.
description: 创建导出任务，返回任务 ID。
method: POST
path: /open-apis/synthetic/v1/tasks_{i}
token_kinds: [tenant_access_token, user_access_token]
params:
  - name: user_id_type
    in: query
    type: string
    required: false
    example: open_id
    description: 用户 ID 类型。
body:
  content: json
  name: CreateTaskBody{i}
  description: The JSON body.
  fields:
    - name: token
      type: string
      required: true
      max_length: 27
      example: Fm7osyjtMh5o7Ktrv32c73abcef
      description: 要导出的云文档的 token。
    - name: file_extension
      type: string
      required: true
      example: csv
      description: 导出文件的扩展名。
      enum:
        name: FileExtension{i}
        values:
          - {{value: docx, name: Docx, description: Word 格式}}
          - {{value: pdf, name: Pdf, description: PDF 格式}}
          - {{value: xlsx, name: Xlsx, description: Excel 格式}}
          - {{value: csv, name: Csv, description: CSV 格式}}
    - name: start_time
      type: string
      required: true
      format: int64
      example: \"1655276858\"
      description: 开始时间（unix时间，单位sec）
    - name: sub_ids
      type: array
      items: string
      required: false
      example: '[\"6e5ed3\"]'
      description: 工作表 ID 列表。
    - name: point
      type: object
      required: true
      description: 挂载点。
      object:
        name: TaskPoint{i}
        description: Where the result goes.
        fields:
          - name: mount_type
            type: integer
            required: true
            example: \"1\"
            description: 挂载类型。
            enum:
              name: MountType{i}
              values:
                - {{value: 1, name: CloudSpace, description: 挂载到云空间}}
                - {{value: 2, name: Wiki, description: 挂载到知识库}}
          - name: mount_key
            type: string
            required: true
            example: AbqrfuRTjlJEIJduwDwcnIabcef
            description: 文件夹的 token。
          - name: window
            type: object
            required: false
            description: 时间窗口。
            object:
              name: TaskWindow{i}
              fields:
                - {{name: from, type: string, format: int64, required: true, description: 开始}}
                - {{name: to, type: string, format: int64, required: false, description: 结束}}
                - {{name: page_size, type: integer, required: false, description: 分页大小}}
  example: |
    {{
        \"token\": \"Fm7osyjtMh5o7Ktrv32c73abcef\",
        \"file_extension\": \"csv\",
        \"start_time\": \"1655276858\",
        \"sub_ids\": [\"6e5ed3\"],
        \"point\": {{\"mount_type\": 1, \"mount_key\": \"AbqrfuRTjlJEIJduwDwcnIabcef\"}}
    }}
response:
  name: CreateTaskData{i}
  fields:
    - name: ticket
      type: string
      description: 任务 ID。
starts:
  poller: synthetic.{family}.task{poller}.get
  workflow: export_task_{i}
  params:
    - {{param: ticket, reply: ticket}}
    - {{param: token, request: token}}
example: |
  {{\"code\": 0, \"msg\": \"success\", \"data\": {{\"ticket\": \"6933093124755423251\"}}}}
"
    )
}

fn upload(i: usize) -> String {
    let family = family_of(i);
    format!(
        "id: synthetic.{family}.media{i}.upload
operation: upload_media_{i}
title: 上传素材 {i}
summary: Upload synthetic media {i} in one request.
description: 将文件上传到指定云文档中。
method: POST
path: /open-apis/synthetic/v1/medias_{i}/upload_all
token_kinds: [tenant_access_token, user_access_token]
body:
  content: multipart
  name: UploadMediaForm{i}
  description: The multipart form.
  fields:
    - name: file_name
      type: string
      required: true
      max_length: 250
      example: demo.jpeg
      description: 素材的名称。
    - name: parent_type
      type: string
      required: true
      example: docx_image
      description: 上传点的类型。
      enum:
        name: ParentType{i}
        values:
          - {{value: doc_image, name: DocImage, description: 旧版文档图片}}
          - {{value: docx_image, name: DocxImage, description: 新版文档图片}}
          - {{value: sheet_image, name: SheetImage, description: 电子表格图片}}
          - {{value: docx_file, name: DocxFile, description: 新版文档文件}}
    - name: parent_node
      type: string
      required: true
      description: 上传点的 token。
    - name: size
      type: integer
      required: true
      example: \"1024\"
      description: 文件的大小，单位为字节。
    - name: checksum
      type: string
      required: false
      example: \"3248270248\"
      description: 文件的 Adler-32 校验和。
  file:
    name: file
    description: 文件的二进制内容。
    max_size: 20971520
    larger: 大于 20 MB 的文件需使用分片上传。
    from_file:
      size: size
      adler32: checksum
response:
  name: UploadMediaData{i}
  fields:
    - name: file_token
      type: string
      description: 素材文件的 token。
example: |
  {{\"code\": 0, \"msg\": \"success\", \"data\": {{\"file_token\": \"boxcnrHpsg1QDqXAAAyachabcef\"}}}}
"
    )
}

/// Four documented codes per endpoint, unique in the provider.
fn errors(spec: &mut String, i: usize) {
    let _ = writeln!(spec, "errors:");
    for (k, (status, message)) in [
        (400, "invalid param"),
        (500, "internal error"),
        (403, "no permission"),
        (410, "docs deleted"),
    ]
    .iter()
    .enumerate()
    {
        let retryable = if *status >= 500 {
            ", retryable: true"
        } else {
            ""
        };
        let _ = writeln!(
            spec,
            "  - {{http_status: {status}, code: {}, message: {message}, hint: 排查建议 {k}{retryable}}}",
            error_code(i, k)
        );
    }
}

fn error_code(i: usize, k: usize) -> usize {
    2_000_000 + i * 10 + k
}

const STATUSES: [(i64, &str); 12] = [
    (0, "Success"),
    (1, "Initialising"),
    (2, "Processing"),
    (3, "InternalError"),
    (107, "TooLarge"),
    (108, "TimedOut"),
    (109, "NoPermissionOnBlocks"),
    (110, "NoPermission"),
    (111, "Deleted"),
    (122, "Copying"),
    (123, "NotFound"),
    (6000, "TooManyImages"),
];
