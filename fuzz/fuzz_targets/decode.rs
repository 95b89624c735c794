#![no_main]
// The body is shared with the stable smoke test; see xxgk_core::fuzz.
libfuzzer_sys::fuzz_target!(|data: &[u8]| xxgk_core::fuzz::decode(data));
