//! Who reported: issuer names, issuer kind and GB/T 2260 division codes (filled in by issue 4).
