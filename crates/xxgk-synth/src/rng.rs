//! Seeded randomness: one ChaCha8 stream per document, so document `i` is the
//! same whatever `n` is, and two runs with one seed write the same bytes.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// The only source of randomness in the crate (no HashMap order, no clock).
pub struct Rng(ChaCha8Rng);

/// SplitMix64 finaliser: spreads (seed, index) so neighbouring pairs give
/// unrelated streams.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    pub fn for_doc(seed: u64, index: u64) -> Self {
        Rng(ChaCha8Rng::seed_from_u64(mix(seed ^ mix(index))))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.0.random_bool(p.clamp(0.0, 1.0))
    }

    /// Uniform integer in `lo..=hi` (returns `lo` when the range is empty).
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.0.random_range(lo..=hi)
        }
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            self.0.random_range(0..n)
        }
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Picks by integer weight; zero weights are never picked.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| *w).sum();
        let mut ticket = self.int(0, i64::from(total) - 1) as u32;
        for (item, w) in items {
            if ticket < *w {
                return *item;
            }
            ticket -= w;
        }
        items[items.len() - 1].0
    }

    /// Roughly log-uniform integer in `lo..=hi`: real counts span orders of
    /// magnitude (a water bureau gets 2 requests, a city 3,119).
    pub fn magnitude(&mut self, lo: i64, hi: i64) -> i64 {
        let (a, b) = ((lo.max(0) + 1) as f64, (hi.max(lo) + 1) as f64);
        let u: f64 = self.0.random();
        let v = (a.ln() + u * (b.ln() - a.ln())).exp() - 1.0;
        (v.round() as i64).clamp(lo, hi)
    }

    /// Splits `total` into parts proportional to jittered `weights`; parts
    /// with weight 0 stay 0. The parts always add up to `total`.
    pub fn spread(&mut self, total: i64, weights: &[u32]) -> Vec<i64> {
        let jitter: Vec<f64> = weights
            .iter()
            .map(|&w| if w == 0 { 0.0 } else { f64::from(w) * (0.3 + 1.4 * self.0.random::<f64>()) })
            .collect();
        let sum: f64 = jitter.iter().sum();
        if total <= 0 || sum == 0.0 {
            return vec![0; weights.len()];
        }
        let mut parts: Vec<i64> = jitter.iter().map(|j| (total as f64 * j / sum).floor() as i64).collect();
        let mut rest = total - parts.iter().sum::<i64>();
        let live: Vec<usize> = (0..weights.len()).filter(|&i| weights[i] > 0).collect();
        while rest > 0 {
            let i = live[self.below(live.len())];
            parts[i] += 1;
            rest -= 1;
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_adds_up_and_respects_zero_weights() {
        let mut r = Rng::for_doc(7, 3);
        for total in [0, 1, 5, 99, 12345] {
            let parts = r.spread(total, &[5, 0, 1, 3]);
            assert_eq!(parts.iter().sum::<i64>(), total);
            assert_eq!(parts[1], 0);
        }
    }

    #[test]
    fn streams_are_reproducible() {
        let a: Vec<i64> = (0..5).map(|_| Rng::for_doc(1, 2).int(0, 1000)).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::for_doc(1, 2).int(0, 1 << 40), Rng::for_doc(1, 3).int(0, 1 << 40));
    }
}
