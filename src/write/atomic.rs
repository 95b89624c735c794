//! Puts a finished output directory in place of the old one. On Linux both directories are
//! swapped in one `renameat2(RENAME_EXCHANGE)` call, so DIR always holds complete datasets;
//! elsewhere (or on file systems without it) two renames leave a moment with no DIR at all.

use super::WriteError;
use std::path::Path;

pub fn replace_dir(new: &Path, out: &Path) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    if !out.exists() {
        return std::fs::rename(new, out).map_err(io(out));
    }
    if exchange(new, out).is_ok() {
        // `new` now names the previous datasets.
        return std::fs::remove_dir_all(new).map_err(io(new));
    }
    let old = new.with_extension("old");
    std::fs::rename(out, &old).map_err(io(out))?;
    std::fs::rename(new, out).map_err(io(out))?;
    std::fs::remove_dir_all(&old).map_err(io(&old))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are valid NUL-terminated paths for the duration of the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "no atomic exchange"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_existing_and_creates_missing() {
        let base = std::env::temp_dir().join(format!("xxgk-atomic-{}", std::process::id()));
        let (new, out) = (base.join("new"), base.join("out"));
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(new.join("v"), "1").unwrap();
        replace_dir(&new, &out).unwrap();
        std::fs::create_dir_all(&new).unwrap();
        std::fs::write(new.join("v"), "2").unwrap();
        replace_dir(&new, &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("v")).unwrap(), "2");
        assert!(!new.exists());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
