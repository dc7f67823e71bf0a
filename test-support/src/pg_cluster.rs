//! A throwaway PostgreSQL 15 cluster for slow tests: `initdb` in a temp directory (as the
//! `postgres` user when running as root), a free loopback port, trust authentication, fsync
//! off; stopped and removed on drop. Needs `/usr/lib/postgresql/15/bin` (scripts/test-all.sh
//! installs it).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const PGBIN: &str = "/usr/lib/postgresql/15/bin";

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
    as_root: bool,
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn run_as_pg(as_root: bool, cmd: &str) -> Output {
    if as_root {
        Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", cmd])
            .output()
            .expect("su")
    } else {
        Command::new("sh").args(["-c", cmd]).output().expect("sh")
    }
}

impl Cluster {
    /// Whether the PostgreSQL 15 binaries are installed.
    pub fn available() -> bool {
        Path::new(PGBIN).join("initdb").exists()
    }

    /// The connection URL of database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgresql://postgres@127.0.0.1:{}/{db}", self.port)
    }

    pub fn start() -> Cluster {
        assert!(
            Path::new(PGBIN).join("initdb").exists(),
            "PostgreSQL 15 is not installed (apt-get install -y postgresql)"
        );
        let as_root = is_root();
        let dir = std::env::temp_dir().join(format!(
            "pa-pg-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sock")).unwrap();
        if as_root {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(ok.success());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let d = dir.display();
        let out = run_as_pg(
            as_root,
            &format!(
                "{PGBIN}/initdb -D '{d}/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >'{d}/initdb.log' 2>&1"
            ),
        );
        assert!(out.status.success(), "initdb failed: {out:?}");
        let out = run_as_pg(
            as_root,
            &format!(
                "{PGBIN}/pg_ctl -D '{d}/data' -l '{d}/server.log' -w -t 60 -o \"-p {port} -k {d}/sock -c listen_addresses=127.0.0.1 -c fsync=off -c shared_preload_libraries=pg_stat_statements\" start"
            ),
        );
        assert!(out.status.success(), "pg_ctl start failed: {out:?}");
        Cluster { dir, port, as_root }
    }

    pub fn psql(&self, sql: &str) -> Output {
        Command::new(format!("{PGBIN}/psql"))
            .args(["-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                "postgres",
            ])
            .arg("-c")
            .arg(sql)
            .output()
            .expect("psql")
    }

    pub fn query(&self, sql: &str) -> Vec<String> {
        let out = self.psql(sql);
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut rows: Vec<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.replace('"', ""))
            .filter(|l| !l.is_empty())
            .collect();
        rows.sort();
        rows
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let d = self.dir.display();
        let _ = run_as_pg(
            self.as_root,
            &format!("{PGBIN}/pg_ctl -D '{d}/data' -m immediate stop"),
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
