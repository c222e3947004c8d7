//! Which training rows each step uses: full batches only (DataLoader's drop_last=True), in order
//! or in a seeded shuffle per epoch. Runs share one order unless they ask for their own
//! (`runs[i].data_seed`), as a seed band that varies batch order as well as init does.

use crate::data;

/// The epoch step `t` falls in, with full batches of `size` among `n` training rows.
pub fn epoch_of(n: usize, size: usize, t: u64) -> u64 {
    t / batches_per_epoch(n, size)
}

fn batches_per_epoch(n: usize, size: usize) -> u64 {
    (n / size.max(1)).max(1) as u64
}

/// One batch order over the training rows.
pub struct BatchOrder {
    shuffle: bool,
    seed: u64,
    /// The row order of epoch `epoch` (all epochs share one order without shuffling), shuffled
    /// once per epoch rather than once per step.
    order: Vec<u32>,
    epoch: u64,
}

impl BatchOrder {
    pub fn new(shuffle: bool, seed: u64) -> Self {
        Self { shuffle, seed, order: Vec::new(), epoch: 0 }
    }

    /// The rows of step `t`'s batch of `size` among `n` training rows (`size <= n`).
    pub fn rows(&mut self, n: usize, size: usize, t: u64) -> &[u32] {
        let batches_per_epoch = batches_per_epoch(n, size);
        let epoch = if self.shuffle { epoch_of(n, size, t) } else { 0 };
        if self.order.len() != n || self.epoch != epoch {
            self.order = if self.shuffle { data::epoch_order(n, epoch, self.seed) } else { (0..n as u32).collect() };
            self.epoch = epoch;
        }
        let start = (t % batches_per_epoch) as usize * size;
        &self.order[start..start + size]
    }
}

/// The session's orders: the shared one, and one per run that has its own seed.
pub struct BatchOrders {
    orders: Vec<BatchOrder>,
    /// Per run, the index of its order.
    order_of: Vec<usize>,
}

impl BatchOrders {
    /// `data_seeds[r]`: run r's own shuffle seed, or `None` for the shared order (`seed`).
    pub fn new(shuffle: bool, seed: u64, data_seeds: &[Option<u64>]) -> Self {
        let mut orders = vec![BatchOrder::new(shuffle, seed)];
        let order_of = data_seeds
            .iter()
            .map(|own| match own {
                Some(own) => {
                    orders.push(BatchOrder::new(shuffle, *own));
                    orders.len() - 1
                }
                None => 0,
            })
            .collect();
        Self { orders, order_of }
    }

    /// 1 when every run sees the shared batches, else one row set per run.
    /// `runs` runs that all see run `run`'s batch order, from its first batch.
    pub fn fork(&self, run: usize, runs: usize) -> Self {
        let own = &self.orders[self.order_of.get(run).copied().unwrap_or(0)];
        Self { orders: vec![BatchOrder::new(own.shuffle, own.seed)], order_of: vec![0; runs] }
    }

    pub fn row_sets(&self) -> usize {
        if self.orders.len() == 1 {
            1
        } else {
            self.order_of.len()
        }
    }

    /// Appends step `t`'s rows of every row set (`[row set][size]`) to `out`.
    pub fn append_rows(&mut self, n: usize, size: usize, t: u64, out: &mut Vec<u32>) {
        if self.orders.len() == 1 {
            out.extend_from_slice(self.orders[0].rows(n, size, t));
            return;
        }
        for &o in &self.order_of {
            out.extend_from_slice(self.orders[o].rows(n, size, t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_share_the_order_unless_they_bring_a_seed() {
        let mut shared = BatchOrders::new(true, 7, &[None, None]);
        assert_eq!(shared.row_sets(), 1);
        let mut own = BatchOrders::new(true, 7, &[None, Some(9), Some(7)]);
        assert_eq!(own.row_sets(), 3);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        shared.append_rows(40, 4, 13, &mut a);
        own.append_rows(40, 4, 13, &mut b);
        assert_eq!(b.len(), 12);
        assert_eq!(a[..], b[..4], "run 0 keeps the shared order");
        assert_eq!(b[..4], b[8..], "the same seed gives the same order");
        assert_ne!(b[..4], b[4..8], "another seed gives another order");
    }

    #[test]
    fn without_shuffling_batches_walk_the_rows_in_order() {
        let mut order = BatchOrder::new(false, 0);
        assert_eq!(order.rows(10, 3, 0), [0, 1, 2]);
        assert_eq!(order.rows(10, 3, 4), [3, 4, 5], "three full batches an epoch");
    }
}
