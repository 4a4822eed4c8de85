//! Tokens sealed for a shared store: XChaCha20-Poly1305 with a key derived from the app
//! secret (SHA-256 of a domain-separation string and the secret), a random 24-byte nonce
//! per seal, the scope as associated data (a sealed token moved to another app's key does
//! not open). Stored as `nonce || ciphertext`. The secret itself is used here only, never
//! stored or sent anywhere.

use crate::token::AccessToken;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use std::fmt;

/// Separates this key from any other use of the secret.
const KEY_DOMAIN: &[u8] = b"taskapi shared token sealing key v1\0";
const NONCE_BYTES: usize = 24;

/// Seals and opens the tokens of one app.
pub(crate) struct TokenSeal {
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for TokenSeal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenSeal(<key redacted>)")
    }
}

impl TokenSeal {
    /// The seal of the app whose secret this is.
    pub(crate) fn new(app_secret: &str) -> Self {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        hasher.update(KEY_DOMAIN);
        hasher.update(app_secret.as_bytes());
        let mut key = [0u8; 32];
        key.copy_from_slice(&hasher.finalize());
        TokenSeal {
            cipher: XChaCha20Poly1305::new(&Key::from(key)),
        }
    }

    /// `token` sealed for `scope`; `None` when the system has no randomness to give (then
    /// the token is not shared).
    pub(crate) fn seal(&self, scope: &str, token: &AccessToken) -> Option<Vec<u8>> {
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).ok()?;
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: token.expose().as_bytes(),
                    aad: scope.as_bytes(),
                },
            )
            .ok()?;
        let mut out = Vec::with_capacity(NONCE_BYTES + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Some(out)
    }

    /// The token in `sealed`, when it was sealed for `scope` with this app's key; `None`
    /// for anything else (another secret, damaged or foreign bytes): treated as absent.
    pub(crate) fn open(&self, scope: &str, sealed: &[u8]) -> Option<AccessToken> {
        if sealed.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().ok()?;
        let plain = self
            .cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: scope.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok().map(AccessToken::new)
    }
}

/// A random value, hex: a lock's owner.
pub(crate) fn random_hex(bytes: usize) -> Option<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).ok()?;
    Some(buf.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_with_the_same_secret_and_scope_only() {
        let seal = TokenSeal::new("app-secret");
        let token = AccessToken::new("t-token-value");
        let sealed = seal.seal("feishu:abc", &token).unwrap();
        assert_eq!(seal.open("feishu:abc", &sealed), Some(token.clone()));
        // Neither the token nor the secret is in the bytes; each seal differs (nonce).
        let text = String::from_utf8_lossy(&sealed);
        assert!(!text.contains("t-token-value") && !text.contains("app-secret"));
        assert_ne!(seal.seal("feishu:abc", &token).unwrap(), sealed);
        // Another secret, another scope, damage, truncation: absent, no panic.
        assert_eq!(TokenSeal::new("other").open("feishu:abc", &sealed), None);
        assert_eq!(seal.open("feishu:other", &sealed), None);
        let mut damaged = sealed.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert_eq!(seal.open("feishu:abc", &damaged), None);
        for len in 0..sealed.len() {
            assert_eq!(seal.open("feishu:abc", &sealed[..len]), None);
        }
    }

    #[test]
    fn debug_shows_no_key_and_owners_are_random() {
        assert_eq!(
            format!("{:?}", TokenSeal::new("s")),
            "TokenSeal(<key redacted>)"
        );
        let a = random_hex(16).unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_hex(16).unwrap());
    }
}
