//! Content made on demand from a hash of what identifies it, so that a tree of any size
//! serves files of any size without keeping a byte of them, and a test can compute what a
//! download must have returned.

/// FNV-1a over the parts, each followed by a separator: a stable seed for one file's bytes
/// (the standard library's hashers are not guaranteed stable across releases).
pub(crate) fn hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(std::iter::once(&0xffu8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// `size` bytes determined by the tree's seed, the object's token, what is made of it (an
/// export's extension, or `file`) and its modified time: a touched document gives new bytes.
pub(crate) fn bytes(seed: u64, token: &str, what: &str, modified: u64, size: u64) -> Vec<u8> {
    let mut rng = fastrand::Rng::with_seed(hash(&[
        &seed.to_le_bytes(),
        token.as_bytes(),
        what.as_bytes(),
        &modified.to_le_bytes(),
    ]));
    let mut out = vec![0u8; usize::try_from(size).unwrap_or(usize::MAX)];
    rng.fill(&mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_are_stable_and_depend_on_every_part() {
        let a = super::bytes(1, "doxcnA", "pdf", 10, 64);
        assert_eq!(a, super::bytes(1, "doxcnA", "pdf", 10, 64));
        assert_ne!(a, super::bytes(2, "doxcnA", "pdf", 10, 64));
        assert_ne!(a, super::bytes(1, "doxcnB", "pdf", 10, 64));
        assert_ne!(a, super::bytes(1, "doxcnA", "docx", 10, 64));
        assert_ne!(a, super::bytes(1, "doxcnA", "pdf", 11, 64));
        assert_eq!(super::bytes(1, "doxcnA", "pdf", 10, 0), Vec::<u8>::new());
    }
}
