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

/// Counts of one line on one site: pages, and the distinct stories (up to `MAX_STORIES`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    pages: u32,
    stories: Vec<u32>,
}

impl Entry {
    fn add_story(&mut self, story: u32) {
        if self.stories.len() < MAX_STORIES as usize && !self.stories.contains(&story) {
            self.stories.push(story);
        }
    }

    fn merge(&mut self, other: &Entry) {
        self.pages += other.pages;
        for &s in &other.stories {
            self.add_story(s);
        }
    }

    fn n_stories(&self) -> u32 {
        self.stories.len() as u32
    }
}

/// Accumulates page counts; `build` freezes it into a [`CorpusModel`].
pub struct ModelBuilder {
    options: ModelOptions,
    sites: Vec<String>,
    site_ids: HashMap<String, u32>,
    pages: Vec<u32>,
    counts: HashMap<(u32, u64), Entry, Fast>,
}

impl ModelBuilder {
    pub fn new(options: ModelOptions) -> Result<Self> {
        options.validate()?;
        Ok(ModelBuilder {
            options,
            sites: Vec::new(),
            site_ids: HashMap::new(),
            pages: Vec::new(),
            counts: HashMap::default(),
        })
    }

    fn site_id(&mut self, site: &str) -> u32 {
        if let Some(&id) = self.site_ids.get(site) {
            return id;
        }
        let id = self.sites.len() as u32;
        self.sites.push(site.to_owned());
        self.site_ids.insert(site.to_owned(), id);
        self.pages.push(0);
        id
    }

    /// Counts the lines of one page; `site` `None` is the corpus-wide bucket `""`.
    pub fn add(&mut self, text: &str, site: Option<&str>) {
        let id = self.site_id(site.unwrap_or(""));
        self.pages[id as usize] += 1;
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
                let e = self.counts.entry((id, f.model_hash)).or_default();
                e.pages += 1;
                e.add_story(story);
            }
        }
    }

    /// Adds the counts of another builder (a partition of the same corpus).
    pub fn merge(&mut self, other: ModelBuilder) -> Result<()> {
        if other.options != self.options {
            return Err(CoreError::InvalidValue(format!(
                "cannot merge models with different options: {:?} and {:?}",
                self.options, other.options
            )));
        }
        // Page counts are u32 (as stored); the merged total must fit, and then every
        // site's and every line's sum fits too (a line's pages never exceed its site's).
        let total = |b: &ModelBuilder| b.pages.iter().map(|&p| u64::from(p)).sum::<u64>();
        if total(self) + total(&other) > u64::from(u32::MAX) {
            return Err(CoreError::InvalidValue(format!(
                "cannot merge models of {} and {} pages: more than {} pages in all",
                total(self),
                total(&other),
                u32::MAX
            )));
        }
        let remap: Vec<u32> = other.sites.iter().map(|s| self.site_id(s)).collect();
        for (old, &new) in remap.iter().enumerate() {
            self.pages[new as usize] += other.pages[old];
        }
        for ((site, hash), e) in other.counts {
            self.counts
                .entry((remap[site as usize], hash))
                .or_default()
                .merge(&e);
        }
        Ok(())
    }

    pub fn build(self) -> CorpusModel {
        let mut global: HashMap<u64, (Entry, u32), Fast> = HashMap::default();
        for (&(_, hash), e) in &self.counts {
            let g = global.entry(hash).or_default();
            g.0.merge(e);
            g.1 += 1;
        }
        CorpusModel {
            total_pages: self.pages.iter().sum(),
            options: self.options,
            sites: self.sites,
            site_ids: self.site_ids,
            pages: self.pages,
            counts: self.counts,
            global,
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
    sites: Vec<String>,
    site_ids: HashMap<String, u32>,
    pages: Vec<u32>,
    counts: HashMap<(u32, u64), Entry, Fast>,
    /// Per line hash: counts over all sites, and number of sites.
    global: HashMap<u64, (Entry, u32), Fast>,
    total_pages: u32,
}

impl std::fmt::Debug for CorpusModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CorpusModel")
            .field("options", &self.options)
            .field("sites", &self.sites.len())
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
        self.pages.iter().map(|&p| u64::from(p)).sum()
    }

    /// Site names in first-seen order (`""` is the bucket of pages without a site).
    pub fn sites(&self) -> &[String] {
        &self.sites
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
            Some(s) => match self.site_ids.get(s) {
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
        let mut b = self.to_builder();
        b.merge(other.to_builder())?;
        Ok(b.build())
    }

    fn to_builder(&self) -> ModelBuilder {
        ModelBuilder {
            options: self.options,
            sites: self.sites.clone(),
            site_ids: self.site_ids.clone(),
            pages: self.pages.clone(),
            counts: self.counts.clone(),
        }
    }

    /// Versioned little-endian bytes: magic, version, checksum, then options, sites and
    /// sorted counts.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.counts.len() * 16);
        out.extend_from_slice(&self.options.min_df.to_le_bytes());
        out.extend_from_slice(&self.options.prose_min_df.to_le_bytes());
        out.extend_from_slice(&(self.sites.len() as u32).to_le_bytes());
        for (name, pages) in self.sites.iter().zip(&self.pages) {
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
            let mut stories = e.stories.clone();
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
            if b.site_ids.contains_key(&name) {
                return Err(bad(format!("site {name:?} stored twice")));
            }
            let id = b.site_id(&name);
            b.pages[id as usize] = pages;
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
            if pages == 0 || pages > b.pages[site as usize] {
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
            b.counts.insert((site, hash), Entry { pages, stories });
        }
        r.finish("last entry")?;
        Ok(b.build())
    }
}
