//! Replaying a window of days into the counts of every list: the part of the audit that
//! is all about speed. Each day's order of the listed spaces is walked once, the days of a
//! batch in parallel, and the positions are then counted list by list (see [`replay`]).
//! This module knows nothing of the site: spaces and lists are indices, and the report is
//! [`super`]'s business.

use rayon::prelude::*;

use jiff::civil::Date;

use crate::neutral::BinnedCounts;

/// Bytes of recorded positions held at once, at most: the days are replayed in
/// batches, each batch then tallied into the counts. One day's row (some 300 KB for
/// 10,000 spaces) stays in the second-level cache while it is written. Each sweep of
/// the count tables costs per item, not per trial, so a batch must hold many days even
/// when a day is large: 64 MB is 26 days for 100,000 spaces (8 MB, 3 days, made the
/// sweeps dominate there: 21 s of a 31 s build).
pub(super) const BATCH_BYTES: usize = 64 << 20;

/// Days per batch, at most: a dozen sweeps a year. More only costs fresh memory, which
/// is slow to come by (the kernel zeroes every page): at 10,000 spaces, batches of 64 MB
/// (188 days) made the audit take 550 ms, batches of 36 days 360 ms (medians of 5).
const BATCH_DAYS: usize = 32;

/// A position within one list, as recorded for the batch: `u16` when every list
/// is short enough, which halves the batch.
pub(super) trait Position: Copy + Default + Send + Sync + Into<u32> {
    fn at(position: u32) -> Self;
}

impl Position for u16 {
    fn at(position: u32) -> Self {
        // Only chosen when every list has at most 2^16 spaces.
        position as u16
    }
}

impl Position for u32 {
    fn at(position: u32) -> Self {
        position
    }
}

/// The days to replay, and where their orders come from.
pub(super) struct Days<'a> {
    pub(super) dates: &'a [Date],
    /// The orders of all listed spaces on a batch of consecutive dates.
    pub(super) orders_of: &'a mut dyn FnMut(&[Date]) -> Vec<Vec<usize>>,
    /// See [`BATCH_BYTES`].
    pub(super) batch_bytes: usize,
}

/// Replays `days` into `counts`, one per list: `lists[l]` holds the members of list
/// `l` (indices of spaces, of which there are `spaces`), in the list's canonical order.
///
/// Each day's order of all listed spaces is walked once: every membership of a space
/// (list, index in the list) takes its list's next position, which is exactly the
/// space's position in that list's filtered order. Positions are written into one row
/// per day, with each list's members side by side, so days can be replayed in
/// parallel; each batch of rows is then tallied per list by
/// [`BinnedCounts::record_positions`], item by item, rather than scattered into the
/// count tables as the days come.
///
/// # Panics
///
/// Panics if a day's order is not a permutation of `listed`.
pub(super) fn replay<P: Position>(
    spaces: usize,
    listed: &[usize],
    lists: &[&[usize]],
    days: Days<'_>,
    counts: &mut [BinnedCounts],
) {
    let Days {
        dates,
        orders_of,
        batch_bytes,
    } = days;
    // Where each list's members start in a day's row.
    let mut offsets = Vec::with_capacity(lists.len() + 1);
    offsets.push(0);
    for members in lists {
        offsets.push(offsets[offsets.len() - 1] + members.len());
    }
    let width = offsets[lists.len()];
    // Per space, its memberships as (list, slot in the row), from `starts[s]` to
    // `starts[s + 1]`: contiguous, so walking a day's order reads them in runs.
    let mut per_space = vec![Vec::new(); spaces];
    for (l, members) in lists.iter().enumerate() {
        for (local, &s) in members.iter().enumerate() {
            let list = u32::try_from(l).expect("fewer than 2^32 lists");
            let slot = u32::try_from(offsets[l] + local).expect("fewer than 2^32 memberships");
            per_space[s].push((list, slot));
        }
    }
    let mut starts = Vec::with_capacity(spaces + 1);
    starts.push(0);
    let mut memberships = Vec::with_capacity(width);
    for m in per_space {
        memberships.extend(m);
        starts.push(memberships.len());
    }
    let mut is_listed = vec![false; spaces];
    for &s in listed {
        is_listed[s] = true;
    }

    // At least one slot a day, so that every day's order is checked even when no
    // list has two spaces.
    let stride = width.max(1);
    let batch_days = (batch_bytes / (stride * size_of::<P>()))
        .min(BATCH_DAYS)
        .clamp(1, dates.len().max(1));
    let mut rows: Vec<P> = vec![P::default(); batch_days * stride];
    for (batch, batch_dates) in dates.chunks(batch_days).enumerate() {
        let orders = orders_of(batch_dates);
        assert_eq!(orders.len(), batch_dates.len(), "one order per day");
        for (order, date) in orders.iter().zip(batch_dates) {
            assert_eq!(
                order.len(),
                listed.len(),
                "the order of {date} does not have one entry per listed space"
            );
        }
        let first_day = batch * batch_days;
        rows[..batch_dates.len() * stride]
            .par_chunks_mut(stride)
            .zip(orders.par_iter())
            .enumerate()
            .for_each_init(
                || (vec![0_u32; spaces], vec![0_u32; lists.len()]),
                |(seen_on, next), (d, (row, order))| {
                    // Days are numbered from 1, so a space not yet seen is on day 0.
                    let day = u32::try_from(first_day + d + 1).expect("fewer than 2^32 days");
                    next.fill(0);
                    for &s in order {
                        assert!(
                            s < spaces
                                && is_listed[s]
                                && std::mem::replace(&mut seen_on[s], day) != day,
                            "the order of {} is not a permutation of the listed spaces",
                            batch_dates[d]
                        );
                        for &(list, slot) in &memberships[starts[s]..starts[s + 1]] {
                            let position = &mut next[list as usize];
                            row[slot as usize] = P::at(*position);
                            *position += 1;
                        }
                    }
                },
            );
        let rows = &rows[..];
        counts.par_iter_mut().enumerate().for_each(|(l, c)| {
            let days: Vec<&[P]> = (0..batch_dates.len())
                .map(|d| &rows[d * stride + offsets[l]..d * stride + offsets[l + 1]])
                .collect();
            c.record_positions(&days);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neutral::AuditReport;
    use crate::neutral::{PositionCounts, permutation, seed_for_date, tallies};
    use jiff::ToSpan;
    use jiff::civil::date;

    /// 90 spaces, of which those not divisible by 7 are listed; lists of every size
    /// from 0 up, some overlapping, members in an order of their own.
    fn example() -> (usize, Vec<usize>, Vec<Vec<usize>>) {
        let spaces = 90;
        let listed: Vec<usize> = (0..spaces).filter(|s| s % 7 != 0).collect();
        let mut lists = vec![listed.clone(), Vec::new(), vec![listed[5]]];
        for k in 2..9 {
            let mut members: Vec<usize> = listed.iter().copied().filter(|s| s % k == 1).collect();
            // A canonical order that is not the order of the indices.
            members.sort_by_key(|&s| (s * 37) % 101);
            lists.push(members);
        }
        (spaces, listed, lists)
    }

    #[test]
    fn replay_counts_what_filtering_each_days_order_counts() {
        let (spaces, listed, lists) = example();
        let dates: Vec<Date> = date(2026, 1, 1).series(1.day()).take(60).collect();
        let order_of = |d: Date| {
            permutation(listed.len(), seed_for_date(d))
                .into_iter()
                .map(|k| listed[k])
                .collect::<Vec<usize>>()
        };
        let fresh = || -> Vec<BinnedCounts> {
            lists
                .iter()
                .map(|m| BinnedCounts::new(m.len(), 4, dates.len() as u64))
                .collect()
        };
        // The straightforward way: each list's order is the day's order filtered.
        let mut want = fresh();
        let mut full: Vec<PositionCounts> =
            lists.iter().map(|m| PositionCounts::new(m.len())).collect();
        for &d in &dates {
            let global = order_of(d);
            for (l, members) in lists.iter().enumerate() {
                let order: Vec<usize> = global
                    .iter()
                    .filter_map(|s| members.iter().position(|m| m == s))
                    .collect();
                want[l].record(&order);
                full[l].record(&order);
            }
        }
        for (c, f) in want.iter().zip(&full) {
            assert_eq!(tallies(c), tallies(&BinnedCounts::from_positions(f, 4)));
        }
        let members: Vec<&[usize]> = lists.iter().map(Vec::as_slice).collect();
        // One day per batch, a few, all at once; both widths of position.
        for batch_bytes in [1, 2_000, 1 << 20] {
            for wide in [false, true] {
                let mut got = fresh();
                let mut batches = Vec::new();
                let days = Days {
                    dates: &dates,
                    orders_of: &mut |ds: &[Date]| {
                        batches.push(ds.len());
                        ds.iter().map(|&d| order_of(d)).collect()
                    },
                    batch_bytes,
                };
                if wide {
                    replay::<u32>(spaces, &listed, &members, days, &mut got);
                } else {
                    replay::<u16>(spaces, &listed, &members, days, &mut got);
                }
                assert_eq!(batches.iter().sum::<usize>(), dates.len());
                if batch_bytes == 1 {
                    assert_eq!(batches.len(), dates.len());
                }
                for (l, (g, w)) in got.iter().zip(&want).enumerate() {
                    assert_eq!(tallies(g), tallies(w), "list {l}, {batch_bytes} bytes");
                    assert_eq!(AuditReport::from_binned(g), AuditReport::from_binned(w));
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "is not a permutation of the listed spaces")]
    fn replay_refuses_an_order_with_an_unlisted_space_even_without_lists() {
        let (spaces, listed, _) = example();
        let dates = [date(2026, 1, 1), date(2026, 1, 2)];
        let days = Days {
            dates: &dates,
            orders_of: &mut |ds: &[Date]| {
                ds.iter()
                    .map(|_| {
                        let mut o = listed.clone();
                        o[3] = 0;
                        o
                    })
                    .collect()
            },
            batch_bytes: BATCH_BYTES,
        };
        replay::<u16>(spaces, &listed, &[], days, &mut []);
    }
}
