//! The spaces in the index's id order, and what every step of building the index asks of
//! them: which space an id is, whether it is listed, its normalised locality. Built once
//! per index, so that the steps in `build` and `words` share one numbering and none
//! sorts the spaces again. Nothing here builds any part of the index.

use rayon::prelude::*;

use crate::index::Index;
use crate::model::{Site, Space};

use super::text;

/// The site's spaces as the index numbers them (see [`super::ids`]).
pub(super) struct Spaces<'a> {
    pub(super) site: &'a Site,
    pub(super) idx: &'a Index,
    /// Number of spaces (listed or not).
    pub(super) n: usize,
    /// Per space of `site.spaces`: its id.
    pub(super) id_of: Vec<u32>,
    /// Per id: the space's position in `site.spaces`.
    pub(super) order: Vec<usize>,
    /// Per space of `site.spaces`: its normalised locality (which the ids follow).
    pub(super) localities: Vec<String>,
    /// The ids of the listed spaces, ascending.
    pub(super) listed: Vec<u32>,
}

impl<'a> Spaces<'a> {
    pub(super) fn new(site: &'a Site, idx: &'a Index) -> Self {
        let n = site.spaces.len();
        let (id_of, localities) = ids_and_localities(site);
        let mut order = vec![0_usize; n];
        for (i, &id) in id_of.iter().enumerate() {
            order[id as usize] = i;
        }
        let mut listed: Vec<u32> = idx.listed.iter().map(|&i| id_of[i]).collect();
        listed.sort_unstable();
        Spaces {
            site,
            idx,
            n,
            id_of,
            order,
            localities,
            listed,
        }
    }

    /// The space with id `id`.
    #[inline]
    pub(super) fn space(&self, id: usize) -> &'a Space {
        &self.site.spaces[self.order[id]]
    }

    /// Whether the space with id `id` is listed.
    #[inline]
    pub(super) fn is_listed(&self, id: usize) -> bool {
        self.idx.rank[self.order[id]] != usize::MAX
    }

    /// The normalised locality of the space with id `id`.
    #[inline]
    pub(super) fn locality(&self, id: usize) -> &str {
        &self.localities[self.order[id]]
    }

    /// The listed spaces (ids ascending) for which `f` holds.
    pub(super) fn having(&self, f: impl Fn(&Space) -> bool) -> Vec<u32> {
        self.listed
            .iter()
            .copied()
            .filter(|&id| f(self.space(id as usize)))
            .collect()
    }

    /// Spaces per option of a many-valued property, in one pass over the listed spaces
    /// (ids ascending, each once per option) rather than one pass per option. `each` calls
    /// its second argument with the option numbers (below `count`) a space has.
    pub(super) fn by_option(
        &self,
        count: usize,
        each: impl Fn(&Space, &mut dyn FnMut(usize)),
    ) -> Vec<Vec<u32>> {
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); count];
        for &id in &self.listed {
            each(self.space(id as usize), &mut |k| {
                if lists[k].last() != Some(&id) {
                    lists[k].push(id);
                }
            });
        }
        lists
    }
}

/// Per space of `site.spaces`, its id, and each space's normalised locality (which the
/// ids follow): see [`super::ids`].
pub(super) fn ids_and_localities(site: &Site) -> (Vec<u32>, Vec<String>) {
    let n = site.spaces.len();
    let mut order: Vec<usize> = (0..n).collect();
    let localities: Vec<String> = site
        .spaces
        .par_iter()
        .map(|s| text::normalize(&s.address.locality))
        .collect();
    order.sort_unstable_by(|&a, &b| {
        let (x, y) = (&site.spaces[a], &site.spaces[b]);
        (&x.region, &localities[a], &x.slug).cmp(&(&y.region, &localities[b], &y.slug))
    });
    let mut id_of = vec![0_u32; n];
    for (id, &i) in order.iter().enumerate() {
        id_of[i] = u32::try_from(id).expect("fewer than 2^32 spaces");
    }
    (id_of, localities)
}
