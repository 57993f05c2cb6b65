//! Plain scalars read with the YAML 1.2 core schema: `null`, booleans,
//! integers and floats; everything else (`yes`, `no`, `1.2.3`) is text.

use super::{Scalar, ScalarValue};

impl Scalar {
    /// Resolve a plain (unquoted) scalar with the YAML 1.2 core schema.
    /// `None` means null.
    pub fn plain(text: &str) -> Option<Scalar> {
        if Scalar::is_null(text) {
            return None;
        }
        let value = match text {
            "true" | "True" | "TRUE" => ScalarValue::Bool(true),
            "false" | "False" | "FALSE" => ScalarValue::Bool(false),
            _ => resolve_number(text).unwrap_or(ScalarValue::Str),
        };
        Some(Scalar {
            text: text.to_string(),
            value,
        })
    }

    /// Whether a plain scalar written `text` is null.
    pub fn is_null(text: &str) -> bool {
        matches!(text, "" | "~" | "null" | "Null" | "NULL")
    }

    pub fn string(text: &str) -> Scalar {
        Scalar {
            text: text.to_string(),
            value: ScalarValue::Str,
        }
    }
}

fn resolve_number(text: &str) -> Option<ScalarValue> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits(unsigned) {
        return text
            .trim_start_matches('+')
            .parse()
            .ok()
            .map(ScalarValue::Int);
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok().map(ScalarValue::Int);
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok().map(ScalarValue::Int);
    }
    match unsigned {
        ".inf" | ".Inf" | ".INF" => {
            let inf = if text.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            return Some(ScalarValue::Float(inf));
        }
        ".nan" | ".NaN" | ".NAN" if unsigned == text => return Some(ScalarValue::Float(f64::NAN)),
        _ => {}
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (a.is_empty() && digits(b))
                || (digits(a) && (b.is_empty() || b.bytes().all(|c| c.is_ascii_digit())))
        }
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    if mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some()) {
        text.parse().ok().map(ScalarValue::Float)
    } else {
        None
    }
}
