//! What the compare stage costs per report when most reports are their issuer-year's only copy
//! (the generated bench corpus has ~1,200 distinct issuer-years, so `make bench` cannot show
//! it): N panel inputs over N / YEARS issuers, then `build_panel`. Heap bytes are counted by a
//! global allocator wrapper (live and peak), so the figures are the data's, not the allocator's.
//!
//!   cargo run --release -p xxgk-core --example panel_scale -- N [YEARS] [--spill DIR]
//!
//! With `--spill DIR` the inputs are made one at a time and streamed through `PanelBuilder`
//! spilling to DIR, as a build does; the peak then includes the inputs. `PANEL_DIGEST=1` prints
//! the same digest in both modes when the spilled path is right.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use xxgk_core::compare::{build_panel, Crosswalk, Packed, PackedRow, PanelBuilder, PanelInput, Spill};
use xxgk_core::model::Status;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to System unchanged; the wrapper only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        grew(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const PROVINCES: [&str; 6] = ["河南省", "江苏省", "四川省", "广东省", "湖南省", "山东省"];

fn input(i: usize, years: usize, cw: &Crosswalk) -> PanelInput {
    let own = |n: &str| Some(xxgk_core::compare::Shared::from(n));
    // Every third issuer reports every other year (no previous-year row); every 13th report
    // has a second copy of the one before (a duplicate to resolve).
    let j = if i % 13 == 12 { i - 1 } else { i };
    let issuer = j / years;
    let step = if issuer.is_multiple_of(3) { 2 } else { 1 };
    let year = 2014 + (step * (j % years)) as i32;
    let name = format!("第{issuer}县人民政府");
    let code = format!("{:06}", 100_001 + issuer % 899_998);
    // Most measures printed, as in a 2019/2021 report; small distinct numbers make ties.
    let measures: Vec<Option<f64>> =
        (0..cw.measures.len()).map(|m| ((i + m) % 5 != 4).then_some(((i * 7 + m) % 97) as f64)).collect();
    let row: Vec<Option<Option<f64>>> = (0..cw.continuity.columns.len()).map(|c| Some(Some((i + c) as f64))).collect();
    PanelInput {
        report_id: format!("{:016x}", i),
        source_path: format!("corpus/{}/{issuer:07}-{year}.html", PROVINCES[issuer % PROVINCES.len()]),
        issuer: own(&name),
        issuer_kind: own("government"),
        province: own(PROVINCES[issuer % PROVINCES.len()]),
        city: None,
        county: own(&name),
        division_code: own(&code),
        report_year: Some(year),
        template: own(if year >= 2021 { "2021" } else { "2019" }),
        status: Status::Ok,
        n_values: 300 + (i % 3) as u32,
        n_failed_checks: 0,
        measures: Packed::new(&measures),
        carried_over: PackedRow::new(&row),
        carried_forward: PackedRow::new(&row),
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: panel_scale N [YEARS] [--spill DIR]";
    let spill = args.iter().position(|a| a == "--spill").map(|i| args.get(i + 1).ok_or(usage)).transpose()?;
    let n: usize = args.first().ok_or(usage)?.parse()?;
    let years: usize = args.get(1).filter(|a| !a.starts_with("--")).map_or(Ok(10), |y| y.parse())?;
    if years == 0 {
        return Err("YEARS must be at least 1".into());
    }
    let cw = Crosswalk::embedded()?;
    match spill {
        Some(dir) => streamed(n, years, &cw, std::path::Path::new(dir)),
        None => in_memory(n, years, &cw),
    }
}

/// All inputs held, then `build_panel`: what the panel costs above the inputs.
fn in_memory(n: usize, years: usize, cw: &Crosswalk) -> Result<(), Box<dyn std::error::Error>> {
    let base = LIVE.load(Ordering::Relaxed);
    let mut inputs = Vec::with_capacity(n);
    inputs.extend((0..n).map(|i| input(i, years, cw)));
    let held = LIVE.load(Ordering::Relaxed) - base;
    println!(
        "{n} inputs ({} issuers x {years} years): {:.1} MB held, {:.0} B a report ({} B of it the struct)",
        n / years,
        mb(held),
        held as f64 / n as f64,
        std::mem::size_of::<PanelInput>()
    );
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let before = LIVE.load(Ordering::Relaxed);
    let t0 = Instant::now();
    let panel = build_panel(&inputs, cw)?;
    let secs = t0.elapsed().as_secs_f64();
    let (kept, peak) = (LIVE.load(Ordering::Relaxed) - before, PEAK.load(Ordering::Relaxed) - before);
    println!(
        "build_panel: {secs:.2} s, {} rows, {} continuity checks; panel {:.1} MB ({:.0} B a row), peak {:.1} MB above the inputs",
        panel.rows.len(),
        panel.continuity.len(),
        mb(kept),
        kept as f64 / panel.rows.len().max(1) as f64,
        mb(peak)
    );
    if std::env::var_os("PANEL_DIGEST").is_some() {
        let mut d = Digest::new(&panel.rank_columns);
        panel.rows.iter().for_each(|r| d.row(r.kept, r.n_copies, &r.values, &r.ranks, r.rank_group_size));
        d.defers_to(panel.defers_to.iter().copied());
        panel.continuity.iter().for_each(|c| d.continuity(c.report, c.previous, &c.check_id, c.lhs, c.rhs, c.passed));
        println!("digest {}", d.finish());
    }
    Ok(())
}

/// Inputs made one at a time and pushed into a `PanelBuilder` spilling to `dir`, outputs read
/// back as streams: the peak is the whole compare stage's, inputs included.
fn streamed(n: usize, years: usize, cw: &Crosswalk, dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let t0 = Instant::now();
    let mut builder = PanelBuilder::new(cw, Spill::to_dir(dir, 8192))?;
    for i in 0..n {
        builder.push(input(i, years, cw))?;
    }
    let out = builder.finish()?;
    let mut d = Digest::new(&out.rank_columns);
    let counts = out.counts;
    for r in out.rows {
        let r = r?;
        d.row(r.kept_index as usize, r.n_copies, &r.values, &r.ranks, r.rank_group_size);
    }
    let mut links = out.duplicates.peekable();
    let mut defers = Vec::new();
    for i in 0..counts.inputs {
        let link = links.next_if(|l| l.as_ref().map_or(true, |l| l.key == i)).transpose()?;
        defers.push(link.map(|l| l.value.target as usize));
        if defers.len() == 65_536 {
            d.defers_to_part(defers.drain(..));
        }
    }
    d.defers_to_part(defers.drain(..));
    d.defers_to_end();
    for c in out.continuity {
        let c = c?;
        d.continuity(c.report as usize, c.previous as usize, &out.check_ids[c.column], c.lhs, c.rhs, c.passed);
    }
    println!(
        "streamed through {}: {:.2} s, {} rows, {} continuity checks; peak {:.1} MB, inputs included",
        dir.display(),
        t0.elapsed().as_secs_f64(),
        counts.rows,
        counts.continuity,
        mb(PEAK.load(Ordering::Relaxed) - base)
    );
    if std::env::var_os("PANEL_DIGEST").is_some() {
        println!("digest {}", d.finish());
    }
    Ok(())
}

/// Rows, duplicate links, ranks and continuity checks, hashed in one fixed text form, so two
/// builds of the compare stage can be compared on the same inputs (a refactor must not move a
/// value). The defers_to part is the Debug form of the whole `Vec<Option<usize>>`, written in
/// pieces.
struct Digest {
    h: blake3::Hasher,
    rank_columns: String,
    first_link: bool,
}

impl Digest {
    fn new(rank_columns: &[String]) -> Digest {
        Digest { h: blake3::Hasher::new(), rank_columns: format!("{rank_columns:?}"), first_link: true }
    }

    fn row(&mut self, kept: usize, n_copies: u32, values: &Packed, ranks: &[Option<u32>], size: Option<u32>) {
        self.h.update(format!("{kept} {n_copies} {:?} {ranks:?} {size:?}", values.to_vec()).as_bytes());
    }

    fn defers_to(&mut self, links: impl Iterator<Item = Option<usize>>) {
        self.defers_to_part(links);
        self.defers_to_end();
    }

    fn defers_to_part(&mut self, links: impl Iterator<Item = Option<usize>>) {
        for link in links {
            let sep = if std::mem::take(&mut self.first_link) { "[" } else { ", " };
            self.h.update(format!("{sep}{link:?}").as_bytes());
        }
    }

    fn defers_to_end(&mut self) {
        let open = if self.first_link { "[" } else { "" };
        self.h.update(format!("{open}]{}", self.rank_columns).as_bytes());
    }

    fn continuity(&mut self, report: usize, previous: usize, id: &str, lhs: f64, rhs: f64, passed: bool) {
        self.h.update(format!("{report} {previous} {id} {lhs:?} {rhs:?} {passed}").as_bytes());
    }

    fn finish(&self) -> String {
        self.h.finalize().to_hex().to_string()
    }
}
