//! The output folder's lock (`OUT/.runsheet.lock`): one render writes
//! into a folder at a time, and a render that was killed midway does not
//! lock the folder for good.
//!
//! The lock file names the render holding it: its process id, the boot it
//! runs in (`/proc/sys/kernel/random/boot_id`) and when the process
//! started (`/proc/PID/stat`), so a process id used again by another
//! process, or after a reboot, is not taken for the render. On Unix the
//! render also holds an advisory lock (`flock`) on the file, which the
//! system lets go of when the process ends however it ends. A lock whose
//! flock nobody holds and whose process is gone is stale: the next render
//! takes it over and says so. A lock held by a live process is respected.
//!
//! Elsewhere (no flock), the file's existence is the lock, as it was.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name in the output folder.
pub const FILE: &str = ".runsheet.lock";

/// The process a lock file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: u32,
    /// The boot it ran in, when the system tells.
    pub boot: Option<String>,
    /// When it started, in clock ticks since boot, when the system tells.
    pub start: Option<u64>,
}

impl Holder {
    /// This process.
    pub fn this() -> Holder {
        let pid = std::process::id();
        Holder {
            pid,
            boot: boot_id(),
            start: start_time(pid),
        }
    }

    /// The lock file's text.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "# A render of runsheet is writing into this folder.\npid {}\n",
            self.pid
        );
        if let Some(boot) = &self.boot {
            text.push_str(&format!("boot {boot}\n"));
        }
        if let Some(start) = self.start {
            text.push_str(&format!("start {start}\n"));
        }
        text
    }

    /// A lock file's text read back; `None` when it names no process (an
    /// empty lock, of an earlier runsheet, or not runsheet's).
    pub fn read(text: &str) -> Option<Holder> {
        let mut holder = Holder {
            pid: 0,
            boot: None,
            start: None,
        };
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("pid", v)) => holder.pid = v.trim().parse().ok()?,
                Some(("boot", v)) => holder.boot = Some(v.trim().to_string()),
                Some(("start", v)) => holder.start = v.trim().parse().ok(),
                _ => {}
            }
        }
        (holder.pid != 0).then_some(holder)
    }

    /// Whether the process is still running: one with its id exists, in
    /// the same boot, started when it did.
    pub fn is_alive(&self) -> bool {
        if !process_exists(self.pid) {
            return false;
        }
        if let (Some(then), Some(now)) = (&self.boot, boot_id())
            && *then != now
        {
            return false;
        }
        match (self.start, start_time(self.pid)) {
            (Some(then), Some(now)) => then == now,
            _ => true,
        }
    }
}

/// The system's boot id (Linux).
fn boot_id() -> Option<String> {
    let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    Some(id.trim().to_string()).filter(|id| !id.is_empty())
}

/// When process `pid` started (`/proc/PID/stat`'s 22nd field, Linux).
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command's name, in parentheses, may hold spaces and `)`.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(19)?.parse().ok()
}

/// Whether a process with id `pid` exists (signal 0: nothing is sent).
#[cfg(unix)]
pub fn process_exists(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        // It exists, but is another user's.
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(not(unix))]
pub fn process_exists(pid: u32) -> bool {
    pid == std::process::id()
}

/// Why the lock could not be taken.
#[derive(Debug)]
pub enum NotTaken {
    /// A live render holds it: its process, when the file names one.
    Held(Option<u32>),
    Io(std::io::Error),
}

/// The lock, held until dropped: then the file is removed (and the flock
/// let go of).
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    _file: std::fs::File,
    /// The render whose stale lock this one took over, when there was one.
    pub recovered: Option<Recovered>,
}

/// A stale lock taken over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub lock: PathBuf,
    /// The process that held it, when the file named one.
    pub pid: Option<u32>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed before the flock goes, so a render that opened the file
        // meanwhile sees it is no longer the lock and opens it again.
        let _ = std::fs::remove_file(&self.path);
    }
}

impl Lock {
    /// Take `out`'s lock: create it, or take over a stale one.
    pub fn take(out: &Path) -> Result<Lock, NotTaken> {
        let path = out.join(FILE);
        // A render that lets go between our opening the file and locking
        // it removes the file: open it again (a few times at most).
        for _ in 0..8 {
            if let Some(lock) = try_take(&path)? {
                return Ok(lock);
            }
        }
        Err(NotTaken::Held(None))
    }
}

#[cfg(unix)]
fn try_take(path: &Path) -> Result<Option<Lock>, NotTaken> {
    use std::io::ErrorKind;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let open = |create: bool| {
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(create)
            // A link planted in its place is not followed.
            .custom_flags(libc::O_NOFOLLOW)
            .open(path)
    };
    let (mut file, fresh) = match open(true) {
        Ok(file) => (file, true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => match open(false) {
            Ok(file) => (file, false),
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(NotTaken::Io(e)),
        },
        Err(e) => return Err(NotTaken::Io(e)),
    };
    let mut text = String::new();
    let flocked =
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => true,
            Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
                let _ = (&file).take(4096).read_to_string(&mut text);
                return Err(NotTaken::Held(Holder::read(&text).map(|h| h.pid)));
            }
            // A file system without flock: the file's text alone decides.
            Err(_) => false,
        };
    // The render that held it may have let go and removed it meanwhile.
    let same = match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(open), Ok(now)) => open.ino() == now.ino() && open.dev() == now.dev(),
        _ => false,
    };
    if !same {
        return Ok(None);
    }
    let _ = (&file).take(4096).read_to_string(&mut text);
    let this = Holder::this();
    let recovered = match Holder::read(&text) {
        // A live process that holds no flock (an earlier runsheet, a file
        // system without flock) still holds the folder.
        Some(h) if h.pid != this.pid && h.is_alive() => {
            return Err(NotTaken::Held(Some(h.pid)));
        }
        Some(h) => Some(h.pid),
        None if fresh => None,
        // A lock naming no process that no flock holds: left by an earlier
        // runsheet, or by a render killed before it wrote its name.
        None if flocked => Some(0),
        None => return Err(NotTaken::Held(None)),
    };
    file.set_len(0).map_err(NotTaken::Io)?;
    file.rewind().map_err(NotTaken::Io)?;
    file.write_all(this.to_text().as_bytes())
        .map_err(NotTaken::Io)?;
    let _ = file.sync_all();
    Ok(Some(Lock {
        path: path.to_path_buf(),
        _file: file,
        recovered: recovered.map(|pid| Recovered {
            lock: path.to_path_buf(),
            pid: (pid != 0).then_some(pid),
        }),
    }))
}

#[cfg(not(unix))]
fn try_take(path: &Path) -> Result<Option<Lock>, NotTaken> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut file) => {
            let _ = file.write_all(Holder::this().to_text().as_bytes());
            Ok(Some(Lock {
                path: path.to_path_buf(),
                _file: file,
                recovered: None,
            }))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            Err(NotTaken::Held(Holder::read(&text).map(|h| h.pid)))
        }
        Err(e) => Err(NotTaken::Io(e)),
    }
}

/// A staging file a render leaves beside its target (`.NAME.new-PID`):
/// `NAME` and the process id.
pub fn staged_name(file_name: &str) -> Option<(&str, u32)> {
    let rest = file_name.strip_prefix('.')?;
    let (name, pid) = rest.rsplit_once(".new-")?;
    if name.is_empty() || pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((name, pid.parse().ok()?))
}
