//! Synthetic spec sets: one provider with N endpoints shaped like the drive export query
//! (nested result, a 12-value status enum, four error codes, a waiter), so generation and
//! compile cost can be measured at sizes the real specs will not reach for years.

use std::fmt::Write as _;
use std::path::Path;

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

fn endpoint(i: usize) -> String {
    let mut spec = format!(
        "id: synthetic.task{i}.get
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
example: |
  {{\"code\": 0, \"msg\": \"success\", \"data\": {{\"result\": {{\"job_status\": 0, \"file_token\": \"x\"}}}}}}
errors:
"
    );
    for (k, (status, message)) in [
        (500, "internal error"),
        (403, "no permission"),
        (400, "invalid param"),
        (410, "docs deleted"),
    ]
    .iter()
    .enumerate()
    {
        let _ = writeln!(
            spec,
            "  - {{http_status: {status}, code: {}, message: {message}, hint: 排查建议 {k}}}",
            2_000_000 + i * 10 + k
        );
    }
    spec
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
