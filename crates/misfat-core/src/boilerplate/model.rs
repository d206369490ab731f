//! A corpus model of lines that sites repeat on many pages (author boxes, footers, widgets).
//!
//! Fitting counts, per site, the pages each line key occurs on (a line counts once per
//! page) and, more importantly, the distinct *stories* it occurs in. A page's story is the
//! hash of its first prose line (its lead), so two copies of one story (an update, a
//! republished wire story) share it while unrelated articles do not. Furniture is printed
//! under many different stories; article text is not.
//!
//! A short line is *repeated* on a site when it occurs in at least `min_df` stories there.
//! A prose line (a sentence of some length) needs `prose_min_df` stories, and must not
//! occur on any other site: a wire paragraph that two outlets both carry is article text
//! for both, never furniture. Without sites, all pages form one bucket (the cross-site
//! protection then cannot apply: pass sites when outlets share wire copy).
//!
//! Line keys are hashed with xxh3 and a fixed seed, so models are stable across processes
//! and machines, can be merged across partitions, and serialize to versioned bytes.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::lines::{measure, KeyMaker};
use crate::error::{CoreError, Result};
use crate::persist::{bad, seal, verified, Reader};

const MAGIC: &[u8; 8] = b"MISFATBP";
/// Version 2 added the checksum; version 1 files are refused.
const VERSION: u16 = 2;
/// Distinct stories remembered per line (thresholds can be at most this).
pub const MAX_STORIES: u32 = 16;

/// Keys are xxh3 hashes already: hashing them again is wasted work.
#[derive(Default)]
pub(crate) struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Fast = BuildHasherDefault<PreHashed>;

/// Thresholds of a model (fixed at fit time, stored with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelOptions {
    /// A short line is repeated on a site when it occurs in at least this many distinct
    /// stories there (default 3).
    pub min_df: u32,
    /// The same for prose lines, which must also occur on no other site (default 5).
    pub prose_min_df: u32,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            min_df: 3,
            prose_min_df: 5,
        }
    }
}

impl ModelOptions {
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [("min_df", self.min_df), ("prose_min_df", self.prose_min_df)] {
            if !(2..=MAX_STORIES).contains(&v) {
                return Err(CoreError::InvalidValue(format!(
                    "{name} must be between 2 and {MAX_STORIES}, got {v}"
                )));
            }
        }
        Ok(())
    }
}

/// Counts of one line on one site: pages, and the first `MAX_STORIES` distinct stories in
/// the order seen. Most lines occur on one page (the edited lines of copies, article text),
/// so the first story is kept inline and a second one allocates: 16 bytes per entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pages: u32,
    first: u32,
    // A thin pointer (8 bytes, not a Vec's 24) in every entry; boxed only from a second story.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<u32>>>,
}

impl Entry {
    fn new(pages: u32, story: u32) -> Entry {
        Entry {
            pages,
            first: story,
            more: None,
        }
    }

    fn add_story(&mut self, story: u32) {
        if story == self.first {
            return;
        }
        let more = self.more.get_or_insert_with(Default::default);
        if more.len() + 1 < MAX_STORIES as usize && !more.contains(&story) {
            more.push(story);
        }
    }

    fn stories(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.first).chain(self.more.iter().flat_map(|m| m.iter().copied()))
    }

    /// Pages add up; the story count becomes min(`MAX_STORIES`, distinct stories of
    /// both), whatever the order of merges, so decisions never depend on it.
    fn merge(&mut self, other: &Entry) {
        self.pages += other.pages;
        for s in other.stories() {
            self.add_story(s);
        }
    }

    fn n_stories(&self) -> u32 {
        1 + self.more.as_ref().map_or(0, |m| m.len() as u32)
    }
}

/// Site names, their ids (first-seen order) and page counts.
#[derive(Clone, Default)]
struct Sites {
    names: Vec<String>,
    ids: HashMap<String, u32>,
    pages: Vec<u32>,
}

impl Sites {
    fn id(&mut self, site: &str) -> u32 {
        if let Some(&id) = self.ids.get(site) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(site.to_owned());
        self.ids.insert(site.to_owned(), id);
        self.pages.push(0);
        id
    }

    fn total(&self) -> u64 {
        self.pages.iter().map(|&p| u64::from(p)).sum()
    }

    /// Adds `other`'s page counts and gives each of its site ids the id here. Checks
    /// first that the pages fit: counts are u32 (as stored), and when the total fits,
    /// every site's and every line's sum fits too (a line's pages never exceed its site's).
    fn absorb(&mut self, other: &Sites) -> Result<Vec<u32>> {
        let (a, b) = (self.total(), other.total());
        if a + b > u64::from(u32::MAX) {
            return Err(CoreError::InvalidValue(format!(
                "cannot merge models of {a} and {b} pages: more than {} pages in all",
                u32::MAX
            )));
        }
        let remap: Vec<u32> = other.names.iter().map(|s| self.id(s)).collect();
        for (old, &new) in remap.iter().enumerate() {
            self.pages[new as usize] += other.pages[old];
        }
        Ok(remap)
    }
}

fn same_options(a: ModelOptions, b: ModelOptions) -> Result<()> {
    if a != b {
        return Err(CoreError::InvalidValue(format!(
            "cannot merge models with different options: {a:?} and {b:?}"
        )));
    }
    Ok(())
}

/// Accumulates page counts; `build` freezes it into a [`CorpusModel`].
///
/// The running model of a corpus read in batches: fit each batch straight into it
/// (`add`), or absorb the builders of partitions fitted in parallel (`absorb`); neither
/// copies what is already counted.
pub struct ModelBuilder {
    options: ModelOptions,
    sites: Sites,
    counts: HashMap<(u32, u64), Entry, Fast>,
}

impl ModelBuilder {
    pub fn new(options: ModelOptions) -> Result<Self> {
        options.validate()?;
        Ok(ModelBuilder {
            options,
            sites: Sites::default(),
            counts: HashMap::default(),
        })
    }

    pub fn options(&self) -> ModelOptions {
        self.options
    }

    /// Number of pages counted so far.
    pub fn n_pages(&self) -> u64 {
        self.sites.total()
    }

    /// Counts the lines of one page; `site` `None` is the corpus-wide bucket `""`.
    pub fn add(&mut self, text: &str, site: Option<&str>) {
        let id = self.sites.id(site.unwrap_or(""));
        self.sites.pages[id as usize] += 1;
        let mut km = KeyMaker::new();
        let mut arena = String::new();
        let feats = measure(text, &mut km, &mut arena);
        let lines = || feats.iter().filter(|f| f.key_end > f.key_start);
        // The page's story: its first prose line (the lead; the first line if none).
        // Furniture sits mostly around the article, rarely above its first paragraph.
        let story = lines()
            .find(|f| f.prose())
            .or_else(|| lines().next())
            .map_or(0, |f| f.model_hash) as u32;
        let mut seen: HashSet<u64, Fast> = HashSet::default();
        for f in lines() {
            if seen.insert(f.model_hash) {
                match self.counts.entry((id, f.model_hash)) {
                    MapEntry::Occupied(mut o) => {
                        let e = o.get_mut();
                        e.pages += 1;
                        e.add_story(story);
                    }
                    MapEntry::Vacant(v) => {
                        v.insert(Entry::new(1, story));
                    }
                }
            }
        }
    }

    /// Adds the counts of another builder (a partition of the same corpus), in place.
    pub fn absorb(&mut self, other: ModelBuilder) -> Result<()> {
        same_options(self.options, other.options)?;
        if self.counts.is_empty() && self.sites.names.is_empty() {
            *self = other;
            return Ok(());
        }
        let remap = self.sites.absorb(&other.sites)?;
        self.counts.reserve(
            other
                .counts
                .len()
                .saturating_sub(self.counts.capacity() / 8),
        );
        for ((site, hash), e) in other.counts {
            match self.counts.entry((remap[site as usize], hash)) {
                MapEntry::Occupied(mut o) => o.get_mut().merge(&e),
                MapEntry::Vacant(v) => {
                    v.insert(e);
                }
            }
        }
        Ok(())
    }

    /// Adds the counts of a fitted model (e.g. one read from bytes), in place.
    pub fn absorb_model(&mut self, model: &CorpusModel) -> Result<()> {
        same_options(self.options, model.options)?;
        let remap = self.sites.absorb(&model.sites)?;
        for (&(site, hash), e) in &model.counts {
            match self.counts.entry((remap[site as usize], hash)) {
                MapEntry::Occupied(mut o) => o.get_mut().merge(e),
                MapEntry::Vacant(v) => {
                    v.insert(e.clone());
                }
            }
        }
        Ok(())
    }

    pub fn build(self) -> CorpusModel {
        let mut global: HashMap<u64, (Entry, u32), Fast> = HashMap::default();
        for (&(_, hash), e) in &self.counts {
            add_global(&mut global, hash, e, true);
        }
        CorpusModel {
            total_pages: self.sites.total() as u32,
            options: self.options,
            sites: self.sites,
            counts: self.counts,
            global,
        }
    }
}

/// Adds a site's entry for `hash` to the corpus-wide counts (`new_site`: the line was not
/// counted on that site before).
fn add_global(global: &mut HashMap<u64, (Entry, u32), Fast>, hash: u64, e: &Entry, new_site: bool) {
    match global.entry(hash) {
        MapEntry::Occupied(mut o) => {
            let g = o.get_mut();
            g.0.merge(e);
            g.1 += u32::from(new_site);
        }
        MapEntry::Vacant(v) => {
            v.insert((e.clone(), 1));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SiteRef {
    Known(u32),
    Unknown,
    Any,
}

/// A frozen corpus model: immutable, `Sync`, cheap to query.
#[derive(Clone)]
pub struct CorpusModel {
    options: ModelOptions,
    sites: Sites,
    counts: HashMap<(u32, u64), Entry, Fast>,
    /// Per line hash: counts over all sites, and number of sites.
    global: HashMap<u64, (Entry, u32), Fast>,
    total_pages: u32,
}

impl std::fmt::Debug for CorpusModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorpusModel")
            .field("options", &self.options)
            .field("sites", &self.sites.names.len())
            .field("pages", &self.total_pages)
            .field("lines", &self.counts.len())
            .finish()
    }
}

impl PartialEq for CorpusModel {
    fn eq(&self, other: &Self) -> bool {
        self.to_bytes() == other.to_bytes()
    }
}

impl CorpusModel {
    /// Fits a model on `(text, site)` pages.
    pub fn fit<'a, I>(pages: I, options: ModelOptions) -> Result<CorpusModel>
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        let mut b = ModelBuilder::new(options)?;
        for (text, site) in pages {
            b.add(text, site);
        }
        Ok(b.build())
    }

    pub fn options(&self) -> ModelOptions {
        self.options
    }

    /// Number of pages the model was fitted on.
    pub fn n_pages(&self) -> u64 {
        self.sites.total()
    }

    /// Site names in first-seen order (`""` is the bucket of pages without a site).
    pub fn sites(&self) -> &[String] {
        &self.sites.names
    }

    /// Number of distinct (site, line) pairs counted.
    pub fn n_entries(&self) -> usize {
        self.counts.len()
    }

    /// Number of distinct (site, line) pairs seen in at least `min_df` stories.
    pub fn n_repeated(&self) -> usize {
        self.counts
            .values()
            .filter(|e| e.n_stories() >= self.options.min_df)
            .count()
    }

    /// How a page's site is looked up in the model.
    pub(crate) fn site_id(&self, site: Option<&str>) -> SiteRef {
        match site {
            None => SiteRef::Any,
            Some(s) => match self.sites.ids.get(s) {
                Some(&id) => SiteRef::Known(id),
                None => SiteRef::Unknown,
            },
        }
    }

    /// Whether a line with this key hash is furniture repeated on the site's pages.
    ///
    /// Known site: that site's counts. No site: the corpus-wide counts. A site the model
    /// has not seen: the corpus-wide counts for short lines only, never for prose.
    pub(crate) fn is_repeated(&self, site: SiteRef, hash: u64, prose: bool) -> bool {
        let (entry, n_sites) = match site {
            SiteRef::Known(id) => match self.counts.get(&(id, hash)) {
                Some(e) => (e, self.global.get(&hash).map_or(1, |g| g.1)),
                None => return false,
            },
            SiteRef::Unknown if prose => return false,
            SiteRef::Any | SiteRef::Unknown => match self.global.get(&hash) {
                Some((e, n)) => (e, *n),
                None => return false,
            },
        };
        if prose {
            entry.n_stories() >= self.options.prose_min_df && n_sites <= 1
        } else {
            entry.n_stories() >= self.options.min_df
        }
    }

    /// Combines two models fitted on different partitions (same options).
    pub fn merge(&self, other: &CorpusModel) -> Result<CorpusModel> {
        let mut m = self.clone();
        m.absorb(other)?;
        Ok(m)
    }

    /// Adds the counts of a model fitted on another partition, in place: its entries are
    /// added to this model's and to the corpus-wide counts, nothing else is copied or
    /// rebuilt. On an error (different options, too many pages) nothing has changed.
    pub fn absorb(&mut self, other: &CorpusModel) -> Result<()> {
        same_options(self.options, other.options)?;
        let remap = self.sites.absorb(&other.sites)?;
        for (&(site, hash), e) in &other.counts {
            let new_site = match self.counts.entry((remap[site as usize], hash)) {
                MapEntry::Occupied(mut o) => {
                    o.get_mut().merge(e);
                    false
                }
                MapEntry::Vacant(v) => {
                    v.insert(e.clone());
                    true
                }
            };
            add_global(&mut self.global, hash, e, new_site);
        }
        self.total_pages = self.sites.total() as u32;
        Ok(())
    }

    /// The running counts back, to add more pages (the corpus-wide counts are dropped and
    /// rebuilt by `build`).
    pub fn into_builder(self) -> ModelBuilder {
        ModelBuilder {
            options: self.options,
            sites: self.sites,
            counts: self.counts,
        }
    }

    /// Versioned little-endian bytes: magic, version, checksum, then options, sites and
    /// sorted counts.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.counts.len() * 16);
        out.extend_from_slice(&self.options.min_df.to_le_bytes());
        out.extend_from_slice(&self.options.prose_min_df.to_le_bytes());
        out.extend_from_slice(&(self.sites.names.len() as u32).to_le_bytes());
        for (name, pages) in self.sites.names.iter().zip(&self.sites.pages) {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&pages.to_le_bytes());
        }
        let mut entries: Vec<(&(u32, u64), &Entry)> = self.counts.iter().collect();
        entries.sort_unstable_by_key(|e| *e.0);
        out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
        for (&(site, hash), e) in entries {
            out.extend_from_slice(&site.to_le_bytes());
            out.extend_from_slice(&hash.to_le_bytes());
            out.extend_from_slice(&e.pages.to_le_bytes());
            let mut stories: Vec<u32> = e.stories().collect();
            stories.sort_unstable();
            out.push(stories.len() as u8);
            for s in stories {
                out.extend_from_slice(&s.to_le_bytes());
            }
        }
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&VERSION.to_le_bytes());
        seal(&header, &out)
    }

    /// Reads bytes written by [`CorpusModel::to_bytes`]: the checksum first, then every
    /// count against the bytes left before anything is allocated.
    pub fn from_bytes(bytes: &[u8]) -> Result<CorpusModel> {
        let mut r = Reader::new(bytes);
        if r.take(8).ok() != Some(MAGIC.as_slice()) {
            return Err(bad("not a misfat boilerplate model (wrong magic bytes)"));
        }
        let version = r.u16()?;
        if version != VERSION {
            return Err(bad(format!(
                "model format version {version} is not supported (this build reads {VERSION}); \
                 fit the model again"
            )));
        }
        let mut r = verified(&mut r)?;
        let options = ModelOptions {
            min_df: r.u32()?,
            prose_min_df: r.u32()?,
        };
        options
            .validate()
            .map_err(|e| bad(format!("stored options: {e}")))?;
        // A site takes at least its name's length and its page count.
        let n_sites = r.u32()?;
        let n_sites = r.count(n_sites.into(), 8, "site")?;
        let mut b = ModelBuilder::new(options)?;
        let mut total_pages = 0u32;
        for _ in 0..n_sites {
            let len = r.u32()?;
            let len = r.count(len.into(), 1, "site name byte")?;
            let name = std::str::from_utf8(r.take(len)?)
                .map_err(|_| bad("site name is not UTF-8"))?
                .to_owned();
            let pages = r.u32()?;
            total_pages = total_pages
                .checked_add(pages)
                .ok_or_else(|| bad("page counts overflow"))?;
            if b.sites.ids.contains_key(&name) {
                return Err(bad(format!("site {name:?} stored twice")));
            }
            let id = b.sites.id(&name);
            b.sites.pages[id as usize] = pages;
        }
        // Each entry takes at least 21 bytes.
        let n = r.u64()?;
        let n = r.count(n, 21, "entry")?;
        b.counts.reserve(n);
        let mut prev: Option<(u32, u64)> = None;
        for _ in 0..n {
            let site = r.u32()?;
            let hash = r.u64()?;
            let pages = r.u32()?;
            let n_stories = r.u8()? as usize;
            if site as usize >= n_sites {
                return Err(bad("entry refers to an unknown site"));
            }
            if pages == 0 || pages > b.sites.pages[site as usize] {
                return Err(bad("page count of a line exceeds its site's pages"));
            }
            if n_stories == 0 || n_stories > MAX_STORIES as usize || n_stories > pages as usize {
                return Err(bad("story count of a line out of range"));
            }
            let mut stories = Vec::with_capacity(n_stories);
            for _ in 0..n_stories {
                let s = r.u32()?;
                if stories.last().is_some_and(|&p| p >= s) {
                    return Err(bad("stories of a line are not sorted or repeat"));
                }
                stories.push(s);
            }
            if prev.is_some_and(|p| p >= (site, hash)) {
                return Err(bad("entries are not sorted or repeat"));
            }
            prev = Some((site, hash));
            let more = (stories.len() > 1).then(|| Box::new(stories[1..].to_vec()));
            b.counts.insert(
                (site, hash),
                Entry {
                    pages,
                    first: stories[0],
                    more,
                },
            );
        }
        r.finish("last entry")?;
        Ok(b.build())
    }
}
