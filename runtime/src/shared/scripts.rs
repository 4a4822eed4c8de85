//! Key names and the Lua scripts of [`RedisState`](super::RedisState): each operation is one
//! round trip, atomic on the server, timed by the server's own clock (`TIME`), so the
//! processes sharing it need no synchronised clocks.
//!
//! Keys, with the scope in braces (a Redis Cluster hash tag, so one app's keys share a slot):
//! - `taskapi:{<scope>}:limit:<key>`: when the next slot of a limit key is free, in
//!   microseconds of the server's clock; expires a second after that (a slot in the past
//!   limits nothing), so idle keys vanish.
//! - `taskapi:{<scope>}:token`: the sealed token (`nonce || ciphertext`), expiring when it
//!   is due for refresh.
//! - `taskapi:{<scope>}:token:lock`: the random owner of the fetch in progress, expiring on
//!   its own if that process dies.

use redis::Script;
use std::sync::LazyLock;

pub(super) fn limit_key(scope: &str, key: &str) -> String {
    format!("taskapi:{{{scope}}}:limit:{key}")
}

pub(super) fn token_key(scope: &str) -> String {
    format!("taskapi:{{{scope}}}:token")
}

pub(super) fn lock_key(scope: &str) -> String {
    format!("taskapi:{{{scope}}}:token:lock")
}

/// GCRA without burst. KEYS[1]: the limit key; ARGV[1]: the interval (µs); ARGV[2]: the
/// longest wait the caller accepts (µs; negative: any). Takes the slot `max(stored, now)`,
/// stores `slot + interval` (expiring a second after it), returns the wait `slot - now`
/// (µs); when that wait exceeds ARGV[2], stores nothing and returns -1, so a caller that
/// cannot wait pushes no one's slot out. Numbers are printed with `%.0f`: Lua 5.1's
/// `tostring` would round 16 digits to 14.
pub(super) static RESERVE_SLOT: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local stored = tonumber(redis.call('GET', KEYS[1])) or 0
local slot = math.max(stored, now)
local max_wait = tonumber(ARGV[2])
if max_wait >= 0 and slot - now > max_wait then
  return -1
end
local free = slot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', free), 'PX', math.ceil((free - now) / 1000) + 1000)
return slot - now
",
    )
});

/// KEYS[1]: the limit key; ARGV[1]: the pause (µs). No slot before `now + pause`; a later
/// free slot already stored is kept. The key expires a second after its free slot.
pub(super) static PAUSE_SLOTS: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = now + tonumber(ARGV[1])
local stored = tonumber(redis.call('GET', KEYS[1])) or 0
if free > stored then
  redis.call('SET', KEYS[1], string.format('%.0f', free), 'PX', math.ceil((free - now) / 1000) + 1000)
end
return 0
",
    )
});

/// KEYS[1]: the token key. The sealed token and its time to live (ms), or nil.
pub(super) static READ_TOKEN: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local sealed = redis.call('GET', KEYS[1])
if not sealed then return false end
return {sealed, redis.call('PTTL', KEYS[1])}
",
    )
});

/// KEYS[1]: the token key, KEYS[2]: the lock key; ARGV: the sealed token, its time to live
/// (ms), the lock's owner. Stores the token, then releases the lock if the owner still
/// holds it: a waiter never sees the lock free and the token absent in between.
pub(super) static STORE_TOKEN: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return 1
",
    )
});

/// KEYS[1]: a key; ARGV[1]: a value. Deletes the key if it still holds the value (a lock
/// released by its owner, a refused token that no one has replaced yet).
pub(super) static DELETE_IF_EQUAL: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
",
    )
});
