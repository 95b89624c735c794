//! Optional numbers packed for what the panel keeps of every report until the end of a run.
//! A `Vec<Option<f64>>` costs 16 bytes a slot whether the slot holds a number or not, and most
//! slots of a report are empty (a legacy report has none of the 2019 measures, a 2019 report
//! no legacy ones): here an empty slot costs one bit and the numbers share one allocation.

/// Up to `CAPACITY` slots of `Option<f64>`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Packed {
    len: u8,
    /// Bit i set: slot i holds the next number of `values`.
    present: u64,
    values: Box<[f64]>,
}

impl Packed {
    /// The crosswalk refuses configs with more measures or continuity columns than this.
    pub const CAPACITY: usize = 64;

    /// Slots past `CAPACITY` are not kept; `Crosswalk` validation makes that unreachable.
    pub fn new(slots: &[Option<f64>]) -> Packed {
        debug_assert!(slots.len() <= Self::CAPACITY, "{} slots", slots.len());
        let slots = &slots[..slots.len().min(Self::CAPACITY)];
        let present = slots.iter().enumerate().filter(|(_, v)| v.is_some()).fold(0u64, |m, (i, _)| m | 1 << i);
        Packed { len: slots.len() as u8, present, values: slots.iter().flatten().copied().collect() }
    }

    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<f64> {
        if i >= self.len() || (self.present >> i) & 1 == 0 {
            return None;
        }
        let before = (self.present & ((1u64 << i) - 1)).count_ones() as usize;
        self.values.get(before).copied()
    }

    pub fn to_vec(&self) -> Vec<Option<f64>> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }
}

/// A continuity row: per column, None where the report does not print it, Some(None) for
/// an empty cell, Some(Some(v)) for a number.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PackedRow {
    printed: u64,
    cells: Packed,
}

impl PackedRow {
    pub fn new(row: &[Option<Option<f64>>]) -> PackedRow {
        let row = &row[..row.len().min(Packed::CAPACITY)];
        let printed = row.iter().enumerate().filter(|(_, c)| c.is_some()).fold(0u64, |m, (i, _)| m | 1 << i);
        let cells: Vec<Option<f64>> = row.iter().map(|c| c.flatten()).collect();
        PackedRow { printed, cells: Packed::new(&cells) }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<Option<f64>> {
        (i < self.len() && (self.printed >> i) & 1 == 1).then(|| self.cells.get(i))
    }

    pub fn iter(&self) -> impl Iterator<Item = Option<Option<f64>>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slot() -> impl Strategy<Value = Option<f64>> {
        proptest::option::of(proptest::num::f64::ANY)
    }

    // Bit patterns, not ==: NaN must come back as the same NaN, and -0.0 as -0.0.
    fn bits(v: &[Option<f64>]) -> Vec<Option<u64>> {
        v.iter().map(|x| x.map(f64::to_bits)).collect()
    }

    proptest! {
        #[test]
        fn packed_gives_back_every_slot(slots in proptest::collection::vec(slot(), 0..=64)) {
            let p = Packed::new(&slots);
            prop_assert_eq!(p.len(), slots.len());
            prop_assert_eq!(bits(&p.to_vec()), bits(&slots));
            prop_assert_eq!(p.get(slots.len()), None);
        }

        #[test]
        fn packed_row_keeps_printed_apart_from_empty(
            row in proptest::collection::vec(proptest::option::of(slot()), 0..=64)
        ) {
            let p = PackedRow::new(&row);
            let back: Vec<Option<Option<u64>>> = p.iter().map(|c| c.map(|v| v.map(f64::to_bits))).collect();
            let want: Vec<Option<Option<u64>>> = row.iter().map(|c| c.map(|v| v.map(f64::to_bits))).collect();
            prop_assert_eq!(back, want);
        }
    }

    #[test]
    fn empty_slots_take_no_numbers() {
        let p = Packed::new(&[None, Some(2.0), None, None, Some(5.0)]);
        assert_eq!(p.values.len(), 2);
        assert_eq!((p.get(0), p.get(1), p.get(4)), (None, Some(2.0), Some(5.0)));
    }
}
