//! Stable 64-bit fingerprints (FNV-1a) of a build's inputs, for incremental rebuilds: the
//! same bytes give the same fingerprint on every machine and Rust version, unlike std's
//! `DefaultHasher`.

/// An FNV-1a hasher.
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

    pub(crate) fn bytes(mut self, data: &[u8]) -> Self {
        for &b in data {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        self
    }

    pub(crate) fn str(self, s: &str) -> Self {
        self.bytes(s.as_bytes())
    }

    pub(crate) fn u64(self, v: u64) -> Self {
        self.bytes(&v.to_le_bytes())
    }

    pub(crate) fn finish(self) -> u64 {
        self.0
    }
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
        assert_eq!(of(b""), 0xaf64_724c_8602_eb6e);
        assert_eq!(of(b"versus"), 0x23b3_412c_d338_f2b4);
        assert_eq!(
            Fingerprint::new().str("a").u64(1).finish(),
            0xb36e_4a32_a049_0c95
        );
    }

    #[test]
    fn stable_and_sensitive_to_boundaries() {
        assert_eq!(of(b"versus"), of(b"versus"));
        assert_ne!(of(b"versus"), of(b"versu"));
        let ab_c = Fingerprint::new().str("ab").str("c").finish();
        let a_bc = Fingerprint::new().str("a").str("bc").finish();
        assert_ne!(ab_c, a_bc);
    }
}
