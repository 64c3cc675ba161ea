//! `--shard K/N`: a deterministic slice of a site's pages, so N machines can build one site
//! together.

/// A deterministic slice of a site's pages, so N machines can build one site together: the
/// union of the outputs of shards 1/N … N/N is the full site. Shard 1 also writes the files
/// every site has once (404.html, robots.txt, sitemap, assets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or("write a shard as K/N, e.g. 2/3")?;
        let (k, n): (usize, usize) = (
            k.trim()
                .parse()
                .map_err(|_| format!("`{k}` is not a number"))?,
            n.trim()
                .parse()
                .map_err(|_| format!("`{n}` is not a number"))?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K must be from 1 to N"));
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// This shard's pages among `len`: a contiguous range, so each machine writes whole
    /// folders and the split does not depend on the thread count.
    pub(crate) fn range(self, len: usize) -> std::ops::Range<usize> {
        let at = |i: usize| ((i as u128 * len as u128) / self.n as u128) as usize;
        at(self.k - 1)..at(self.k)
    }

    pub(crate) fn writes_shared_files(self) -> bool {
        self.k == 1
    }
}
