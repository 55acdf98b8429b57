//! The `counts` fuzz target's checks (`fuzz/fuzz_targets/counts_check.rs`) on
//! inputs made here, for machines without cargo-fuzz: valid counts and
//! attributions files in every container (CSV, CR-only CSV, `.csv.gz`,
//! Parquet), each cut at many points and with bytes flipped at random
//! (a fixed seed, so a failure reproduces), and random bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

#[path = "../fuzz/fuzz_targets/counts_check.rs"]
mod counts_check;

use std::io::Write;
use trailsight::counts::{read_counts, write_counts, Format, COUNTS_COLUMNS};

/// xorshift64*: deterministic noise without a dependency.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn counts_csv() -> String {
    let mut text = COUNTS_COLUMNS.join(",");
    for i in 0..40 {
        let code = if i % 4 == 0 { "\"Client.Denied\"" } else { "" };
        let cat = ["Management", "Data", "", "Other"][i % 4];
        text += &format!(
            "\n1,1111222233{:02},eu-west-1,ec2.amazonaws.com,Run{},{cat},{},{code},{},{}",
            i % 3,
            i % 5,
            ["true", "0", ""][i % 3],
            29_000_000 + i * 7,
            1 + i % 9
        );
    }
    text + "\n"
}

fn seeds() -> Vec<Vec<u8>> {
    let csv = counts_csv();
    let table = read_counts([("seed.csv", csv.as_bytes())]).expect("the seed reads");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(csv.as_bytes()).expect("in memory");
    vec![
        csv.clone().into_bytes(),
        csv.replace('\n', "\r").into_bytes(),
        gz.finish().expect("in memory"),
        write_counts(&table, Format::Parquet).expect("writable"),
        b"version,shared_event_id,period,attribute,value,events\n1,abc,start,userAgent,curl,3\n1,abc,baseline,errorCode,,2\n".to_vec(),
    ]
}

#[test]
fn cut_and_flipped_tables_and_random_bytes_break_no_property() {
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    for seed in seeds() {
        counts_check::check(&seed);
        let step = (seed.len() / 150).max(1);
        for cut in (0..seed.len()).step_by(step) {
            counts_check::check(&seed[..cut]);
        }
        for _ in 0..150 {
            let mut bytes = seed.clone();
            for _ in 0..1 + noise.below(4) {
                let at = noise.below(bytes.len());
                bytes[at] = noise.next() as u8;
            }
            counts_check::check(&bytes);
        }
    }
    for _ in 0..100 {
        let len = noise.below(300);
        let mut bytes: Vec<u8> = (0..len).map(|_| noise.next() as u8).collect();
        if noise.below(2) == 0 {
            bytes.splice(0..0, b"PAR1".iter().copied());
        }
        counts_check::check(&bytes);
    }
}
