//! Any bytes as a file of a Synchronization Service export (one agent's
//! `MA-*.XML` or `MV.XML`, in any encoding): decoded and read with no
//! panic and no entity expanded; a refusal names the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runsheet::mim::export::{agent, metaverse, xml};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, input)) = data.split_first() else {
        return;
    };
    let Ok(text) = xml::decode(input.to_vec(), "MA-X.XML") else {
        return;
    };
    if selector % 2 == 0 {
        if let Err(e) = agent::read(&text, "MA-X.XML") {
            assert_eq!(e.file, "MA-X.XML");
        }
    } else if let Err(e) = metaverse::read(&text, "MV.XML") {
        assert_eq!(e.file, "MV.XML");
    }
});
