//! The program's allocator: mimalloc, asking the library's memory budgets
//! ([`runsheet::memory`]) before each allocation.
//!
//! A check of a large tree makes a few million small allocations (a string
//! per link, heading and front-matter value); mimalloc makes them about a
//! tenth cheaper in wall time than the system allocator. The budgets bound
//! work whose size a book decides (its templates): Rust cannot fail an
//! allocation and go on, so an allocation over budget stops the program
//! with a message and exit code 2, before it takes gigabytes.

use std::alloc::{GlobalAlloc, Layout};

pub struct Bounded;

// SAFETY: every method forwards to mimalloc with the caller's arguments
// unchanged; the budget bookkeeping touches only thread-local counters and
// allocates nothing itself (the message is written after counting stops).
unsafe impl GlobalAlloc for Bounded {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        admit(layout.size());
        // SAFETY: the caller's layout, as GlobalAlloc::alloc requires.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        admit(layout.size());
        // SAFETY: as for alloc.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        runsheet::memory::give_back(layout.size());
        // SAFETY: ptr was allocated by this allocator with this layout.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            admit(new_size - layout.size());
        } else {
            runsheet::memory::give_back(layout.size() - new_size);
        }
        // SAFETY: the caller's arguments, as GlobalAlloc::realloc requires.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// Count `bytes`; over a budget, stop the program with the library's
/// message.
fn admit(bytes: usize) {
    if !runsheet::memory::take(bytes) {
        // Counting has stopped on this thread, so the message may allocate.
        eprint!("{}", runsheet::memory::exceeded_message());
        std::process::exit(2);
    }
}
