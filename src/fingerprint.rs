//! Stable 64-bit fingerprints of a build's inputs, for incremental rebuilds: the same bytes
//! give the same fingerprint on every machine and Rust version, unlike std's
//! `DefaultHasher`. Eight bytes at a time (read little-endian, so the result does not depend
//! on the machine), each word mixed in by a multiply and a shift, and a final avalanche: a
//! page's key hashes a few kilobytes per page, so this is on the hot path of every build.

/// A word-at-a-time hasher.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn bytes(self, data: &[u8]) -> Self {
        let mut words = data.chunks_exact(8);
        let mut h = self.0;
        for w in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            h = mix(h, u64::from_le_bytes(word));
        }
        let rest = words.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(last));
        // The length, so ("ab", "c") and ("a", "bc") differ, and trailing zero bytes count.
        Fingerprint(mix(h, data.len() as u64 ^ 0xff00_0000_0000_0000))
    }

    pub(crate) fn str(self, s: &str) -> Self {
        self.bytes(s.as_bytes())
    }

    pub(crate) fn u64(self, v: u64) -> Self {
        self.bytes(&v.to_le_bytes())
    }

    pub(crate) fn finish(self) -> u64 {
        // MurmurHash3's finalizer: every input bit affects every output bit.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Mixes one word into the state.
fn mix(h: u64, word: u64) -> u64 {
    let h = (h ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^ (h >> 29)
}

/// The fingerprint of some bytes.
pub(crate) fn of(data: &[u8]) -> u64 {
    Fingerprint::new().bytes(data).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned: a manifest written by one build is read by the next, on any machine and
    /// after any upgrade that does not change these.
    #[test]
    fn values_are_fixed() {
        assert_eq!(of(b""), 0x7d25_2dfc_fbb7_b80a);
        assert_eq!(of(b"versus"), 0x425a_e95f_6cd1_d603);
        assert_eq!(
            Fingerprint::new().str("a").u64(1).finish(),
            0x120a_8d4c_4eb1_5fe4
        );
    }

    #[test]
    fn stable_and_sensitive_to_boundaries() {
        assert_eq!(of(b"versus"), of(b"versus"));
        assert_ne!(of(b"versus"), of(b"versu"));
        let ab_c = Fingerprint::new().str("ab").str("c").finish();
        let a_bc = Fingerprint::new().str("a").str("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_ne!(of(b"ab"), of(b"ab\0"), "trailing zero bytes count");
        assert_ne!(of(b"abcdefgh"), of(b"abcdefgh\0"));
        assert_ne!(
            of(b"12345678x"),
            of(b"12345678y"),
            "the last partial word counts"
        );
    }
}
