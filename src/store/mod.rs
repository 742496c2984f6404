//! The database folder: discovery, the walk, loading and writing records.
//! This is the only code that touches customer files.

mod cache;
mod fsio;
mod index;
mod journal;
mod walk;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::config::{self, Config};
use crate::error;
use crate::record::{self, ParseError, Record, Schema, id};

use cache::{Cache, Stamp};
pub use fsio::{Lock, write_atomic};
pub use journal::Recovered;

pub const CONFIG_FILE: &str = "kith.yaml";

/// A problem with one file: its path as shown to the user, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl FileError {
    fn at(path: PathBuf, e: ParseError) -> FileError {
        FileError {
            path,
            line: e.line,
            column: e.column,
            message: e.message,
        }
    }

    fn whole(path: PathBuf, message: impl Into<String>) -> FileError {
        FileError {
            path,
            line: 1,
            column: 1,
            message: message.into(),
        }
    }
}

/// One customer file found by the walk.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The path as shown to the user (the folder as given, joined with the
    /// file's place in it).
    pub path: PathBuf,
    pub id: String,
    /// How many folders down the file is: 1 at the top.
    depth: usize,
}

/// A record read for a command, with the bytes it was read from.
pub struct Loaded {
    pub record: Record,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// What a whole-folder read gives: one item per file that parsed, and the
/// problems of the others.
pub struct Scan<T> {
    pub items: Vec<T>,
    pub errors: Vec<FileError>,
    /// Temporary files a killed kith left (`.ID.yaml.kith-tmp`,
    /// `.ID.yaml.kith-new`), which the scan does not read.
    pub leftovers: Vec<PathBuf>,
}

pub struct Store {
    pub root: PathBuf,
    pub config: Config,
    /// False for the stand-in `check` uses when `kith.yaml` is broken: its
    /// settings are not the folder's, so nothing is cached from them.
    pub writable: bool,
    schema: Schema,
}

impl Store {
    /// Finds the folder: `dir` (from `--dir` or `$KITH_DIR`) as given, else the
    /// nearest ancestor holding `kith.yaml`; without either it refuses
    /// (docs/reference.md, "The folder").
    pub fn discover(dir: Option<&Path>) -> Result<Store> {
        let root = match dir {
            Some(d) => d.to_path_buf(),
            None => find_ancestor().ok_or_else(not_a_kith_folder)?,
        };
        Store::open(root)
    }

    /// As `discover`, but a broken `kith.yaml` is returned as a problem beside
    /// a store with the default settings that accepts any stage and kind, so
    /// that `check` can go on to the customer files.
    pub fn discover_lenient(dir: Option<&Path>) -> Result<(Store, Option<String>)> {
        match Store::discover(dir) {
            Ok(store) => Ok((store, None)),
            Err(e) => {
                let root = match dir {
                    Some(d) => d.to_path_buf(),
                    None => find_ancestor().ok_or_else(not_a_kith_folder)?,
                };
                if !root.join(CONFIG_FILE).is_file() {
                    return Err(e);
                }
                let store = Store {
                    root,
                    config: Config::default(),
                    writable: false,
                    schema: Schema::default(),
                };
                Ok((store, Some(crate::error::one_line(&e))))
            }
        }
    }

    pub fn open(root: PathBuf) -> Result<Store> {
        if !root.is_dir() {
            return Err(error::bad(format!(
                "{}: no such folder; give an existing folder with --dir",
                root.display()
            )));
        }
        let config_path = root.join(CONFIG_FILE);
        let config = match fsio::read_regular(&config_path, record::MAX_FILE_BYTES as u64) {
            Ok((bytes, _)) => load_config(&config_path, &bytes)?,
            Err(fsio::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                Config::default()
            }
            Err(e) => return Err(e.into_error(&config_path)),
        };
        let schema = config.schema();
        Ok(Store {
            root,
            config,
            writable: true,
            schema,
        })
    }

    pub fn config_path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Every customer file below the folder, in path order. Problems with
    /// names (links, invalid ids, duplicates) come back as errors.
    pub fn walk(&self) -> Scan<Entry> {
        walk::walk(&self.root)
    }

    /// Reads and parses every customer in parallel, mapping each record to an
    /// item as soon as it is parsed so that the records themselves need not be
    /// held together. Files unchanged since the last scan come from the cache
    /// of parsed records (`cache.rs`) without being opened.
    pub fn scan<T: Send>(&self, map: impl Fn(Record) -> T + Sync + Send) -> Scan<T> {
        self.scan_files(|_, record| map(record))
    }

    /// As `scan`, giving the mapping the file's entry too.
    pub fn scan_files<T: Send>(&self, map: impl Fn(&Entry, Record) -> T + Sync + Send) -> Scan<T> {
        let decoded = |entry: &Entry, bytes: &[u8]| {
            record::binary::decode(bytes).map(|record| map(entry, record))
        };
        self.scan_with(&decoded, &map)
    }

    /// Every problem of the folder's files, as `check` reports them: those of
    /// the walk, and of each file that does not parse; and the temporary
    /// files killed writers left. A file unchanged since the cache took it is
    /// known to parse, and is not even decoded.
    pub fn problems(&self) -> (Vec<FileError>, Vec<PathBuf>) {
        let scan = self.scan_with(&|_, _| Some(()), &|_, _| ());
        (scan.errors, scan.leftovers)
    }

    /// Removes temporary files killed writers left, under the lock (so no
    /// live writer owns them), finishing or undoing an interrupted
    /// multi-file change first; names each on stderr.
    pub fn tidy(&self, leftovers: &[PathBuf]) -> Result<()> {
        if !self.writable || (leftovers.is_empty() && !self.has_journal()) {
            return Ok(());
        }
        let _lock = self.lock()?;
        for path in leftovers {
            let is_file = fs::symlink_metadata(path).is_ok_and(|m| !m.is_dir());
            if is_file && fs::remove_file(path).is_ok() {
                eprintln!(
                    "kith: removed {}, a temporary file a killed kith left",
                    path.display()
                );
            }
        }
        Ok(())
    }

    /// The scan: through the cache when the folder has one, where `cached`
    /// makes an item from a cached record's binary form; `map` makes one from
    /// a record read from its file.
    fn scan_with<T: Send>(
        &self,
        cached: &(impl Fn(&Entry, &[u8]) -> Option<T> + Sync),
        map: &(impl Fn(&Entry, Record) -> T + Sync),
    ) -> Scan<T> {
        let mut walk = self.walk_indexed();
        let linked = self.linked_private_dirs();
        let cache = if self.writable && linked.is_empty() {
            Cache::open(&self.root, &self.schema)
        } else {
            None
        };
        walk.errors.extend(linked);
        match cache {
            Some(cache) => {
                let items = in_reader_pool(|| self.read_through(&cache, &walk.items, cached, map));
                gather(walk.errors, walk.leftovers, items)
            }
            None => gather(
                walk.errors,
                walk.leftovers,
                self.read_every_file(&walk.items, |e, _, record| map(e, record)),
            ),
        }
    }

    /// As `scan_files`, giving the mapping the file's bytes too: every file
    /// is read, none comes from the cache.
    pub fn scan_texts<T: Send>(
        &self,
        map: impl Fn(&Entry, &[u8], Record) -> T + Sync + Send,
    ) -> Scan<T> {
        let walk = self.walk_indexed();
        gather(
            walk.errors,
            walk.leftovers,
            self.read_every_file(&walk.items, map),
        )
    }

    /// Reads and parses every entry's file on the reader pool, in order.
    fn read_every_file<T: Send>(
        &self,
        entries: &[Entry],
        map: impl Fn(&Entry, &[u8], Record) -> T + Sync + Send,
    ) -> Vec<Result<T, FileError>> {
        in_reader_pool(|| {
            entries
                .par_iter()
                .map(|e| {
                    self.read_file(e)
                        .map(|(bytes, _, record)| map(e, &bytes, record))
                })
                .collect()
        })
    }

    /// kith's own folders (`.kith`, its cache and index) that are links or
    /// not folders: never read or written through, and reported.
    fn linked_private_dirs(&self) -> Vec<FileError> {
        let mut errors = Vec::new();
        for rel in [".kith", ".kith/cache", ".kith/index"] {
            let path = self.root.join(rel);
            if let Ok(m) = fs::symlink_metadata(&path)
                && !m.is_dir()
            {
                let why = if m.file_type().is_symlink() {
                    "is a symbolic link; kith does not follow links, remove it"
                } else {
                    "is not a folder; remove it"
                };
                errors.push(FileError::whole(path, why));
                break;
            }
        }
        errors
    }

    /// The walk, writing the id index if the folder has none yet.
    fn walk_indexed(&self) -> Scan<Entry> {
        let walk = self.walk();
        if !index::exists(&self.root) {
            index::rebuild(&self.root, &walk.items);
        }
        walk
    }

    /// Reads one customer file for a scan: its bytes, stamp and record.
    fn read_file(&self, entry: &Entry) -> Result<(Vec<u8>, Option<Stamp>, Record), FileError> {
        let (bytes, meta) = read_bounded(&entry.path)
            .map_err(|e| FileError::whole(entry.path.clone(), e.to_string()))?;
        let record = record::parse_record(&bytes, &entry.id, &self.schema)
            .map_err(|e| FileError::at(entry.path.clone(), e))?;
        Ok((bytes, Stamp::of(&meta), record))
    }

    /// Maps every entry's record: `cached` makes the item from a record's
    /// binary form when the cache holds the file unchanged, `map` from the
    /// record when the file is read. The shards are handled in
    /// parallel and written back as they are finished. The items come back
    /// in the order of `entries`.
    fn read_through<'a, T: Send + 'a>(
        &self,
        cache: &Cache,
        entries: &[Entry],
        cached: &(impl Fn(&Entry, &[u8]) -> Option<T> + Sync),
        map: &(impl Fn(&Entry, Record) -> T + Sync),
    ) -> impl Iterator<Item = Result<T, FileError>> + 'a {
        let shard_of: Vec<usize> = entries
            .iter()
            .map(|e| Cache::shard_of(cache.key(&e.path)))
            .collect();
        let mut members: Vec<Vec<&Entry>> = vec![Vec::new(); cache::SHARDS];
        for (entry, &shard) in entries.iter().zip(&shard_of) {
            members[shard].push(entry);
        }
        let done: Vec<Vec<Result<T, FileError>>> = members
            .par_iter()
            .enumerate()
            .map(|(index, members)| {
                let bytes = cache.read(index);
                let mut shard = cache.shard(&bytes);
                let items = members
                    .iter()
                    .map(|entry| {
                        let key = cache.key(&entry.path);
                        match shard.take(key, &entry.path, |bytes| cached(entry, bytes)) {
                            Some(item) => Ok(item),
                            None => self.read_file(entry).map(|(_, stamp, record)| {
                                shard.put(key, stamp, &record);
                                map(entry, record)
                            }),
                        }
                    })
                    .collect();
                cache.write(index, shard);
                items
            })
            .collect();
        // Each shard's items are in the entries' order: merge them back.
        let mut shards: Vec<_> = done.into_iter().map(Vec::into_iter).collect();
        shard_of.into_iter().filter_map(move |s| shards[s].next())
    }

    /// The path of customer `id`: `DIR/ID.yaml` (or `.yml`) when it exists,
    /// else the id index in `.kith/index/`, else found by walking file names
    /// (which refreshes the index). An unknown id suggests near ones. A text
    /// that names no customer by id may name one by name (`find`).
    pub fn locate(&self, id: &str) -> Result<PathBuf> {
        self.find(id).map(|(path, _)| path)
    }

    /// The path and id of the customer `text` names: its id, or else its
    /// name, compared after NFKC and case folding (docs/reference.md, "IDs
    /// and names"). Several customers of that name are listed, none chosen.
    fn find(&self, text: &str) -> Result<(PathBuf, String)> {
        let by_id = match id::validate(text) {
            Ok(()) => self.locate_id(text),
            Err(why) => Err(error::bad(why)),
        };
        let Err(not_found) = by_id else {
            return by_id.map(|path| (path, text.to_string()));
        };
        let wanted = id::name_key(text);
        if wanted.is_empty() {
            return Err(not_found);
        }
        let mut named: Vec<(PathBuf, String)> = self
            .scan_files(|e, r| (id::name_key(&r.name) == wanted).then(|| (e.path.clone(), r.id)))
            .items
            .into_iter()
            .flatten()
            .collect();
        match named.len() {
            0 => Err(not_found),
            1 => Ok(named.remove(0)),
            n => {
                named.sort_by(|a, b| a.1.cmp(&b.1));
                let ids: Vec<String> = named
                    .iter()
                    .map(|(path, id)| format!("{} ({})", id::printable(id), path.display()))
                    .collect();
                Err(error::bad(format!(
                    "{n} customers are named `{}`: {}; give the id",
                    id::printable(text),
                    ids.join(", ")
                )))
            }
        }
    }

    fn locate_id(&self, id: &str) -> Result<PathBuf> {
        for ext in ["yaml", "yml"] {
            let p = self.root.join(format!("{id}.{ext}"));
            if let Ok(meta) = fs::symlink_metadata(&p) {
                if meta.file_type().is_symlink() {
                    return Err(error::bad(format!(
                        "{}: is a symbolic link; kith does not follow links",
                        p.display()
                    )));
                }
                return Ok(p);
            }
        }
        if let Some(p) = index::lookup(&self.root, id) {
            return Ok(p);
        }
        let walk = self.walk();
        index::rebuild(&self.root, &walk.items);
        if let Some(e) = walk.items.iter().find(|e| e.id == id) {
            return Ok(e.path.clone());
        }
        let near = error::nearest(id, walk.items.iter().map(|e| e.id.as_str()));
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", near.join(", "))
        };
        Err(error::bad(format!(
            "no customer `{}` in {}{hint}",
            id::printable(id),
            self.root.display()
        )))
    }

    /// Reads one customer without parsing any other file (unless it is
    /// named by its name, which takes a scan).
    pub fn load(&self, id: &str) -> Result<Loaded> {
        let (path, id) = self.find(id)?;
        self.load_path(&path, &id)
    }

    fn load_path(&self, path: &Path, id: &str) -> Result<Loaded> {
        let (bytes, _) = read_bounded(path).map_err(|e| e.into_error(path))?;
        let mut record = record::parse_record(&bytes, id, &self.schema)
            .map_err(|e| error::bad(FileError::at(path.to_path_buf(), e).to_string()))?;
        record.sort_lists();
        Ok(Loaded {
            record,
            path: path.to_path_buf(),
            bytes,
        })
    }

    /// Changes one customer under the folder lock: reads it, lets `change`
    /// edit it, and replaces the file atomically. Nothing is written when
    /// `change` fails, when the file cannot be edited in place, or when the
    /// file changed on disk meanwhile.
    pub fn update<T>(&self, id: &str, change: impl FnOnce(&mut Record) -> Result<T>) -> Result<T> {
        let (path, id) = self.find(id)?;
        let _lock = self.lock()?;
        let loaded = self.load_path(&path, &id)?;
        let mut record = loaded.record.clone();
        let out = change(&mut record)?;
        self.write_loaded(&loaded, &record)?;
        Ok(out)
    }

    /// The new text of a loaded file holding `record`. A canonical file is
    /// written canonically again (the fast, exact path); any other file is
    /// edited in place, keeping its comments and layout, or refused.
    fn new_text(&self, loaded: &Loaded, record: &Record) -> Result<Vec<u8>> {
        let canonical = record::emit_record(&loaded.record);
        if canonical.as_bytes() == loaded.bytes.as_slice() {
            return Ok(record::emit_record(record).into_bytes());
        }
        if *record == loaded.record {
            return Ok(loaded.bytes.clone());
        }
        let original = String::from_utf8_lossy(&loaded.bytes);
        let stem = loaded.record.id.as_str();
        record::rewrite(&original, &loaded.record, record, stem, &self.schema)
            .map(String::into_bytes)
            .map_err(|why| {
                let path = loaded.path.display();
                let canonical = record::emit_record(record).len();
                if canonical > record::MAX_FILE_BYTES {
                    // `fmt --force` would not help: the record itself is too big.
                    return error::bad(format!(
                        "{path}: the record would be {canonical} bytes, over the {} MiB kith \
                         reads back; nothing was written; trim the file (move old interactions \
                         to another file by hand)",
                        record::MAX_FILE_BYTES / (1024 * 1024)
                    ));
                }
                if let Some(t) = record::lost_value(&original) {
                    return error::bad(format!(
                        "{path}: kith cannot edit this file in place ({why}), nor rewrite it: \
                         {} at line {}, column {} would be lost; nothing was written; \
                         make the change by hand",
                        t.describe(),
                        t.line,
                        t.column
                    ));
                }
                error::bad(format!(
                    "{path}: kith cannot edit this file in place ({why}); nothing was written; \
                     run `kith fmt {path} --force` to rewrite it canonically (dropping its \
                     comments), or make the change by hand"
                ))
            })
    }

    /// Replaces a file read under the lock, unless someone else changed it.
    fn replace(&self, loaded: &Loaded, bytes: &[u8]) -> Result<()> {
        within_limit(&loaded.path, bytes)?;
        if self.replace_if_unchanged(&loaded.path, &loaded.bytes, bytes)? {
            return Ok(());
        }
        Err(error::env(format!(
            "{}: the file changed on disk while kith was writing it (an editor?); nothing was written, try again",
            loaded.path.display()
        )))
    }

    /// Creates a customer under the lock: `build` gets a test of which ids
    /// are taken (walking the folder once) and returns the new record, whose
    /// id is refused if it is invalid or taken.
    pub fn create(
        &self,
        build: impl FnOnce(&dyn Fn(&str) -> bool) -> Result<Record>,
    ) -> Result<Record> {
        let _lock = self.lock()?;
        let walk = self.walk();
        let taken = |id: &str| walk.items.iter().any(|e| e.id == id);
        let record = build(&taken)?;
        id::validate(&record.id).map_err(error::bad)?;
        if taken(&record.id) {
            return Err(error::bad(format!(
                "the id `{}` is already used in {}; choose another with --id",
                record.id,
                self.root.display()
            )));
        }
        self.write_new(&record)?;
        Ok(record)
    }

    /// Writes a new customer as `DIR/ID.yaml`, never over an existing file.
    /// The caller holds the lock and has checked the id is free in the tree.
    pub fn write_new(&self, record: &Record) -> Result<PathBuf> {
        id::validate(&record.id).map_err(error::bad)?;
        let path = self.root.join(format!("{}.yaml", record.id));
        if fs::symlink_metadata(&path).is_ok() {
            return Err(error::bad(format!("{}: already exists", path.display())));
        }
        let text = record::emit_record(record);
        within_limit(&path, text.as_bytes())?;
        self.write_file(&path, text.as_bytes())?;
        Ok(path)
    }

    /// Writes one customer file atomically (the caller holds the lock),
    /// noting in `.kith/writing` the temporary file it writes first, so that
    /// the next command to take the lock removes it if this one is killed
    /// before the rename.
    fn write_file(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let intent = self.root.join(INTENT);
        let relative = path.strip_prefix(&self.root).ok();
        let noted = match relative.and_then(|r| fsio::temp_path(r).to_str().map(str::to_string)) {
            Some(temp) => self.private_dir().is_ok() && fs::write(&intent, temp).is_ok(),
            None => false,
        };
        write_atomic(path, bytes)?;
        if noted {
            let _ = fs::remove_file(&intent);
        }
        Ok(())
    }

    /// `write_file` over a file read under the lock, only if it still holds
    /// `was`: says whether it wrote.
    pub fn replace_if_unchanged(&self, path: &Path, was: &[u8], bytes: &[u8]) -> Result<bool> {
        let now = fs::read(path)
            .map_err(|e| error::env(format!("{}: cannot read: {e}", path.display())))?;
        if now != was {
            return Ok(false);
        }
        self.write_file(path, bytes)?;
        Ok(true)
    }

    /// Removes the temporary file a killed single-file write left, as noted
    /// in `.kith/writing`; the caller holds the lock, so no live writer owns
    /// it.
    fn clear_intent(&self) {
        let intent = self.root.join(INTENT);
        let Ok(noted) = fs::read_to_string(&intent) else {
            return;
        };
        let temp = self.root.join(noted.trim());
        let inside = Path::new(noted.trim())
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        let regular = fs::symlink_metadata(&temp).is_ok_and(|m| m.file_type().is_file());
        if inside && regular && fs::remove_file(&temp).is_ok() {
            eprintln!(
                "kith: removed {}, a temporary file a killed kith left",
                temp.display()
            );
        }
        let _ = fs::remove_file(&intent);
    }

    /// The sub-folder `folder` (`east`, `east/hz`; made when missing) for a
    /// new customer, which must stay inside the folder, out of hidden
    /// folders, and not pass through a link.
    fn new_folder(&self, folder: &str) -> Result<PathBuf> {
        let mut dir = self.root.clone();
        for part in folder.split('/').filter(|p| !p.is_empty()) {
            if part.starts_with('.') || part.contains(['\\', ':', '\0']) {
                return Err(error::bad(format!(
                    "`{folder}` is not a folder inside {}",
                    self.root.display()
                )));
            }
            dir.push(part);
            if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(error::bad(format!(
                    "{}: is a symbolic link; kith does not follow links",
                    dir.display()
                )));
            }
        }
        fs::create_dir_all(&dir)
            .map_err(|e| error::env(format!("{}: cannot create: {e}", dir.display())))?;
        Ok(dir)
    }

    /// Takes the folder lock for a writer, then finishes or undoes a
    /// multi-file change a killed kith left (see `journal.rs`), saying so on
    /// stderr.
    pub fn lock(&self) -> Result<Lock> {
        let lock = fsio::lock(&self.root)?;
        self.recover()?;
        Ok(lock)
    }

    /// Finishes or undoes an interrupted multi-file change; the caller holds
    /// the lock.
    fn recover(&self) -> Result<()> {
        self.clear_intent();
        match journal::recover(&self.root)? {
            None => {}
            Some(Recovered::Finished(n)) => eprintln!(
                "kith: finished a change of {n} file{} that a killed kith left half done",
                if n == 1 { "" } else { "s" }
            ),
            Some(Recovered::Undone(temporaries)) => {
                eprintln!("kith: undid a change that a killed kith left half done");
                for t in temporaries {
                    eprintln!("kith: removed the temporary file {}", t.display());
                }
            }
        }
        Ok(())
    }

    /// `.kith/`, made when missing, refused when it is a link.
    pub fn private_dir(&self) -> Result<PathBuf> {
        fsio::private_dir(&self.root, &[])
    }

    /// Whether a killed kith left a multi-file change to finish or undo.
    pub fn has_journal(&self) -> bool {
        fs::symlink_metadata(self.root.join(".kith/journal")).is_ok()
    }

    /// A new, empty set of changes to several files, to be committed all
    /// or none by `commit`.
    pub fn batch(&self) -> Batch {
        Batch { ops: Vec::new() }
    }

    /// Writes every change of `batch` or none of them, across a kill at any
    /// moment and a failed write (a full disk): the next kith finishes or
    /// undoes a batch it interrupted. The caller holds the lock (`lock`).
    /// `written` is called once per file written, for a progress bar.
    pub fn commit(&self, _lock: &Lock, batch: Batch, written: &(dyn Fn() + Sync)) -> Result<()> {
        journal::commit(&self.root, &batch.ops, written)
    }

    /// Loads one customer for a caller that holds the lock and will write it
    /// back with `write_loaded`.
    pub fn load_for_write(&self, id: &str) -> Result<Loaded> {
        self.load(id)
    }

    /// Writes a changed record over the file it was loaded from (caller holds
    /// the lock), keeping a hand-kept file's comments and layout.
    pub fn write_loaded(&self, loaded: &Loaded, record: &Record) -> Result<()> {
        let text = self.new_text(loaded, record)?;
        if text == loaded.bytes {
            return Ok(());
        }
        self.replace(loaded, &text)
    }
}

/// Where a single-file write notes its temporary file (see `write_file`).
const INTENT: &str = ".kith/writing";

/// Refuses a record text over the size limit: kith would refuse to read it
/// back.
fn within_limit(path: &Path, text: &[u8]) -> Result<()> {
    if text.len() <= record::MAX_FILE_BYTES {
        return Ok(());
    }
    Err(error::bad(format!(
        "{}: the record would be {} bytes, over the {} MiB kith reads back; nothing was written",
        path.display(),
        text.len(),
        record::MAX_FILE_BYTES / (1024 * 1024)
    )))
}

/// Changes to several customer files, made all or none by `Store::commit`.
/// Each change is checked when it is added (a file that cannot be edited in
/// place is refused then), and again at the commit (a file changed on disk
/// meanwhile stops the whole batch).
pub struct Batch {
    ops: Vec<journal::Op>,
}

impl Batch {
    /// A loaded customer's file rewritten to hold `record`, keeping a
    /// hand-kept file's comments and layout; nothing when it would not change.
    pub fn replace(&mut self, store: &Store, loaded: &Loaded, record: &Record) -> Result<()> {
        let text = store.new_text(loaded, record)?;
        if text != loaded.bytes {
            within_limit(&loaded.path, &text)?;
            self.ops.push(journal::Op {
                path: loaded.path.clone(),
                new: Some(text),
                expected: Some(loaded.bytes.clone()),
            });
        }
        Ok(())
    }

    /// A new customer in the sub-folder `folder` (`""` for the top), made
    /// when missing; its file must not exist.
    pub fn create_in(&mut self, store: &Store, folder: &str, record: &Record) -> Result<PathBuf> {
        id::validate(&record.id).map_err(error::bad)?;
        let dir = store.new_folder(folder)?;
        let path = dir.join(format!("{}.yaml", record.id));
        if fs::symlink_metadata(&path).is_ok() || self.ops.iter().any(|o| o.path == path) {
            return Err(error::bad(format!("{}: already exists", path.display())));
        }
        let text = record::emit_record(record).into_bytes();
        within_limit(&path, &text)?;
        self.ops.push(journal::Op {
            path: path.clone(),
            new: Some(text),
            expected: None,
        });
        Ok(path)
    }

    /// A loaded customer's file removed.
    pub fn remove(&mut self, loaded: &Loaded) {
        self.ops.push(journal::Op {
            path: loaded.path.clone(),
            new: None,
            expected: Some(loaded.bytes.clone()),
        });
    }

    /// How many files the batch changes.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// The threads that read and parse: twice the cores, so that while some wait
/// on a disk (files not in the page cache) others parse.
fn reader_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        rayon::ThreadPoolBuilder::new()
            .num_threads((cores * 2).max(4))
            .build()
            .ok()
    })
    .as_ref()
}

/// Runs `work` on the reader pool.
fn in_reader_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match reader_pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// A scan's items, and its problems: the walk's and the files', by path.
fn gather<T>(
    mut errors: Vec<FileError>,
    leftovers: Vec<PathBuf>,
    results: impl IntoIterator<Item = Result<T, FileError>>,
) -> Scan<T> {
    let results = results.into_iter();
    let mut items = Vec::with_capacity(results.size_hint().0);
    for r in results {
        match r {
            Ok(item) => items.push(item),
            Err(e) => errors.push(e),
        }
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    Scan {
        items,
        errors,
        leftovers,
    }
}

/// A stable hash, the same in every build and on every machine, for
/// spreading the index and the cache over files.
fn stable_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A customer file's bytes and metadata (from the open file, so they belong
/// together): never through a link, never a FIFO or device, and a file over
/// the size limit refused before it is read, so a huge file cannot exhaust
/// memory.
fn read_bounded(path: &Path) -> std::result::Result<(Vec<u8>, fs::Metadata), fsio::ReadError> {
    fsio::read_regular(path, record::MAX_FILE_BYTES as u64)
}

/// Parses `kith.yaml`, with its problems located.
pub fn load_config(path: &Path, bytes: &[u8]) -> Result<Config> {
    let config = Config::parse(bytes)
        .map_err(|e| error::bad(FileError::at(path.to_path_buf(), e).to_string()))?;
    if let Some(p) = config::semantic_problems(&config).into_iter().next() {
        return Err(error::bad(format!("{}:1:1: {p}", path.display())));
    }
    Ok(config)
}

/// The nearest ancestor of the current folder that holds `kith.yaml`, as a
/// relative path (`.`, `..`, `../..`) so that messages stay short.
/// The refusal of every command that needs a folder when none was named
/// and no `kith.yaml` is here or above: nothing is read, nothing written.
fn not_a_kith_folder() -> anyhow::Error {
    error::bad("not a kith folder (no kith.yaml here or above): run `kith init` or pass --dir")
}

fn find_ancestor() -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    let mut rel = PathBuf::from(".");
    for (depth, dir) in cwd.ancestors().enumerate() {
        if dir.join(CONFIG_FILE).is_file() {
            return Some(rel);
        }
        rel = if depth == 0 {
            PathBuf::from("..")
        } else {
            rel.join("..")
        };
    }
    None
}
