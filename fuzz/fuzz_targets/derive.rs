//! Any text as a derived value's template or a check's expression, over
//! a few values: evaluated in the sandbox with no panic, within its fuel
//! and string caps.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsheet::env::derive;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let values = serde_json::json!({
        "ad": { "domain": "corp.example.com", "ou": "Guests" },
        "agents": { "ad": { "name": "ADMA", "partition": "DC=corp,DC=example,DC=com" } },
        "n": 3,
    });
    let _ = derive::inputs(text);
    if let Ok(out) = derive::evaluate(text, &values) {
        assert!(out.len() <= 1 << 20, "a derived value of {} bytes", out.len());
    }
    let _ = derive::expression_inputs(text);
    let _ = derive::holds(text, &values, &["Option 1".to_string()]);
});
