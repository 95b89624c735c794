//! What the compare stage costs per report when most reports are their issuer-year's only copy
//! (the generated bench corpus has ~1,200 distinct issuer-years, so `make bench` cannot show
//! it): N panel inputs over N / YEARS issuers, then `build_panel`. Heap bytes are counted by a
//! global allocator wrapper (live and peak), so the figures are the data's, not the allocator's.
//!
//!   cargo run --release -p xxgk-core --example panel_scale -- N [YEARS]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use xxgk_core::compare::{build_panel, Crosswalk, Interner, Packed, PackedRow, PanelInput};
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

fn input(i: usize, years: usize, cw: &Crosswalk, names: &mut Interner) -> PanelInput {
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
        issuer: names.share(Some(&name)),
        issuer_kind: names.share(Some("government")),
        province: names.share(Some(PROVINCES[issuer % PROVINCES.len()])),
        city: None,
        county: names.share(Some(&name)),
        division_code: names.share(Some(&code)),
        report_year: Some(year),
        template: names.share(Some(if year >= 2021 { "2021" } else { "2019" })),
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
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().ok_or("usage: panel_scale N [YEARS]")?.parse()?;
    let years: usize = args.next().map_or(Ok(10), |y| y.parse())?;
    if years == 0 {
        return Err("YEARS must be at least 1".into());
    }
    let cw = Crosswalk::embedded()?;
    let base = LIVE.load(Ordering::Relaxed);
    let mut names = Interner::default();
    let mut inputs = Vec::with_capacity(n);
    inputs.extend((0..n).map(|i| input(i, years, &cw, &mut names)));
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
    let panel = build_panel(&inputs, &cw);
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
        // Compares two builds of build_panel on the same inputs (a refactor must not move a value).
        let mut h = blake3::Hasher::new();
        for r in &panel.rows {
            h.update(
                format!("{} {} {:?} {:?} {:?}", r.kept, r.n_copies, r.values.to_vec(), r.ranks, r.rank_group_size)
                    .as_bytes(),
            );
        }
        h.update(format!("{:?}{:?}", panel.defers_to, panel.rank_columns).as_bytes());
        for c in &panel.continuity {
            h.update(
                format!("{} {} {} {:?} {:?} {}", c.report, c.previous, c.check_id, c.lhs, c.rhs, c.passed).as_bytes(),
            );
        }
        println!("digest {}", h.finalize().to_hex());
    }
    Ok(())
}
