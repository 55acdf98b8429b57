//! Background traffic: every catalog stream in every place, minute by minute,
//! as Poisson counts around its rhythm, with callers and background errors.

use super::catalog::{Agent, Rhythm, Stream, IDENTITIES, PLACES, STREAMS};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// One simulated event, before it becomes JSON or a dataset event.
#[derive(Clone, Debug)]
pub(crate) struct GenEvent {
    pub ms: i64,
    pub place: u8,
    pub source: &'static str,
    pub name: &'static str,
    pub read_only: bool,
    pub data: bool,
    /// Index into [`IDENTITIES`].
    pub who: u8,
    pub agent: Agent,
    pub error: Option<&'static str>,
    pub id: u128,
    pub request: u128,
}

/// A random version-4 UUID as bits (from the seeded generator, so reproducible).
pub(crate) fn uuid_bits(rng: &mut ChaCha8Rng) -> u128 {
    let bytes: [u8; 16] = rng.gen();
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .as_u128()
}

/// A Poisson draw: Knuth's product method for small means, a rounded normal
/// approximation for large ones (exact enough for traffic simulation).
pub(crate) fn poisson(rng: &mut ChaCha8Rng, lambda: f64) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    if lambda < 30.0 {
        let limit = (-lambda).exp();
        let mut k = 0u32;
        let mut p: f64 = rng.gen();
        while p > limit {
            k += 1;
            p *= rng.gen::<f64>();
        }
        return k;
    }
    // Box-Muller.
    let u1: f64 = rng.gen::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.gen();
    let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    (lambda + lambda.sqrt() * z).round().max(0.0) as u32
}

/// Picks an index by weight.
pub(crate) fn pick_weighted(rng: &mut ChaCha8Rng, items: &[(usize, u32)]) -> usize {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut r = rng.gen_range(0..total.max(1));
    for &(i, w) in items {
        if r < w {
            return i;
        }
        r -= w;
    }
    items.first().map_or(0, |(i, _)| *i)
}

/// True for Saturday and Sunday of absolute day number `day`.
pub(crate) fn is_weekend(day: i64) -> bool {
    (day + 3).rem_euclid(7) >= 5
}

/// One event of `stream` in `minute`, with a random second, caller and error.
pub(crate) fn stream_event(
    rng: &mut ChaCha8Rng,
    stream: &Stream,
    place: usize,
    minute: i64,
) -> GenEvent {
    let who = pick_weighted(rng, stream.callers);
    let mut error = None;
    for &(code, p) in stream.errors {
        if rng.gen::<f64>() < p {
            error = Some(code);
            break;
        }
    }
    GenEvent {
        ms: minute * 60_000 + rng.gen_range(0..60) * 1000,
        place: place as u8,
        source: stream.source,
        name: stream.name,
        read_only: stream.read_only,
        data: stream.data,
        who: who as u8,
        agent: IDENTITIES[who].agent,
        error,
        id: uuid_bits(rng),
        request: uuid_bits(rng),
    }
}

/// All background events of `days` days from absolute day `start_day`.
pub(crate) fn background(
    rng: &mut ChaCha8Rng,
    start_day: i64,
    days: u32,
    scale: f64,
) -> Vec<GenEvent> {
    let mut out = Vec::new();
    let first = start_day * 1440;
    let minutes = i64::from(days) * 1440;
    for (p, place) in PLACES.iter().enumerate() {
        for stream in STREAMS {
            if (stream.global && place.region != "us-east-1") || stream.only.is_some_and(|o| o != p)
            {
                continue;
            }
            let volume = if stream.only.is_some() {
                scale
            } else {
                scale * place.volume
            };
            for m in first..first + minutes {
                let day = m.div_euclid(1440);
                let hour = (m.rem_euclid(1440) / 60) as usize;
                let n = match stream.rhythm {
                    Rhythm::Nightly {
                        hour: h,
                        count,
                        minutes: len,
                    } => {
                        let minute_of_day = m.rem_euclid(1440);
                        let from = i64::from(h) * 60;
                        if minute_of_day >= from && minute_of_day < from + i64::from(len) {
                            // A fixed-size job, ±10%, spread over its minutes.
                            let per = count * volume / f64::from(len);
                            (per * rng.gen_range(0.9..1.1)).round() as u32
                        } else {
                            0
                        }
                    }
                    rhythm => poisson(
                        rng,
                        stream.rate * volume * rhythm.factor(hour, is_weekend(day)),
                    ),
                };
                for _ in 0..n {
                    out.push(stream_event(rng, stream, p, m));
                }
            }
        }
    }
    out
}
