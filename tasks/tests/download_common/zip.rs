//! Reading bundles back in tests: a walk over the local headers (pam-bundle writes
//! stored entries without data descriptors) and Python's zipfile when python3 is there.

use std::collections::BTreeMap;
use std::path::Path;

/// Entries of a zip of stored entries without data descriptors (what pam-bundle
/// writes), read by walking the local headers: name → bytes.
pub fn zip_entries(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let u16_at = |o: usize| u16::from_le_bytes([zip[o], zip[o + 1]]) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(zip[o..o + 4].try_into().unwrap()) as u64;
    let u64_at = |o: usize| u64::from_le_bytes(zip[o..o + 8].try_into().unwrap());
    let mut out = BTreeMap::new();
    let mut at = 0usize;
    while u32_at(at) == 0x0403_4b50 {
        assert_eq!(u16_at(at + 6) & 0x8, 0, "no data descriptor expected");
        assert_eq!(u16_at(at + 8), 0, "stored expected");
        let crc = u32_at(at + 14) as u32;
        let mut size = u32_at(at + 22);
        let name_len = u16_at(at + 26);
        let extra_len = u16_at(at + 28);
        let name = String::from_utf8(zip[at + 30..at + 30 + name_len].to_vec()).unwrap();
        let extra = at + 30 + name_len;
        if size == 0xFFFF_FFFF {
            size = u64_at(extra + 4);
        }
        let data = extra + extra_len;
        let bytes = zip[data..data + size as usize].to_vec();
        assert_eq!(crc32fast::hash(&bytes), crc, "{name}: CRC");
        out.insert(name, bytes);
        at = data + size as usize;
    }
    assert_eq!(
        u32_at(at),
        0x0201_4b50,
        "central directory after the entries"
    );
    out
}

/// Extracts with Python's zipfile (testzip first) when python3 is there.
pub fn python_entries(zip_path: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let script = r#"
import sys, zipfile, json, base64
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))
"#;
    let out = match std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(zip_path)
        .output()
    {
        Ok(out) => out,
        Err(e) => {
            if std::env::var("PAM_REQUIRE_ASSETS").as_deref() == Ok("1") {
                panic!("python3 is needed to check bundles (PAM_REQUIRE_ASSETS=1): {e}");
            }
            eprintln!("!!!! SKIPPED Python zipfile check: python3 unavailable ({e})");
            return None;
        }
    };
    assert!(
        out.status.success(),
        "python zipfile: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let map: BTreeMap<String, String> = serde_json::from_slice(&out.stdout).unwrap();
    use base64::Engine as _;
    Some(
        map.into_iter()
            .map(|(k, v)| {
                (
                    k,
                    base64::engine::general_purpose::STANDARD.decode(v).unwrap(),
                )
            })
            .collect(),
    )
}
