//! The container on its own: exact layout, sections by tag, and precise errors for damaged
//! bytes and malformed fields

use synthome_bundle::container::{
    self, ContainerError, FORMAT_VERSION, FieldReader, FieldWriter, MAGIC, Writer,
};

/// Two sections, one of them empty
fn two_sections() -> Vec<u8> {
    let mut writer = Writer::new();
    writer.section(b"ABCD", vec![1, 2, 3]);
    writer.section(b"EMPT", Vec::new());
    writer.finish()
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut raw = [0u8; 8];
    raw.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(raw)
}

#[test]
fn the_layout_is_magic_version_table_sections_checksum() {
    let bytes = two_sections();
    assert_eq!(bytes.len(), 16 + 2 * 20 + 3 + 32);
    assert_eq!(&bytes[..8], MAGIC);
    assert_eq!(u32_at(&bytes, 8), FORMAT_VERSION);
    assert_eq!(u32_at(&bytes, 12), 2);
    assert_eq!(&bytes[16..20], b"ABCD");
    assert_eq!(u64_at(&bytes, 20), 56);
    assert_eq!(u64_at(&bytes, 28), 3);
    assert_eq!(&bytes[36..40], b"EMPT");
    assert_eq!(u64_at(&bytes, 40), 59);
    assert_eq!(u64_at(&bytes, 48), 0);
    assert_eq!(&bytes[56..59], &[1, 2, 3]);
    assert_eq!(
        container::sha256_hex(&bytes[..59]),
        bytes[59..]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
}

#[test]
fn sections_are_found_by_tag_and_listed_in_table_order() {
    let bytes = two_sections();
    let sections = container::read(&bytes).expect("reads");
    assert_eq!(sections.get(b"ABCD"), Some(&[1u8, 2, 3][..]));
    assert_eq!(sections.get(b"EMPT"), Some(&[][..]));
    assert_eq!(sections.get(b"NONE"), None);
    assert_eq!(
        sections.all([b"EMPT", b"ABCD"]),
        Ok([&[][..], &[1u8, 2, 3][..]])
    );
    assert_eq!(sections.all([b"ABCD", b"NONE", b"GONE"]), Err(*b"NONE"));
    let tags: Vec<[u8; 4]> = sections.iter().map(|(tag, _)| tag).collect();
    assert_eq!(tags, vec![*b"ABCD", *b"EMPT"]);
    let empty = Writer::new().finish();
    assert_eq!(empty.len(), 16 + 32);
    assert_eq!(container::read(&empty).expect("reads").iter().count(), 0);
}

#[test]
fn every_cut_is_truncated_or_a_checksum_mismatch() {
    let bytes = two_sections();
    for cut in 0..bytes.len() {
        let error = container::read(&bytes[..cut]).expect_err("cut");
        assert!(
            matches!(
                error,
                ContainerError::Truncated { .. } | ContainerError::Checksum { .. }
            ),
            "cut at {cut}: {error}"
        );
    }
    assert_eq!(
        container::read(&bytes[..3]).expect_err("short").to_string(),
        "the bundle is truncated: the magic needs 8 bytes at offset 0 but the file has 3"
    );
}

#[test]
fn a_section_beyond_the_content_is_named() {
    let mut bytes = two_sections();
    bytes[28..36].copy_from_slice(&1000u64.to_le_bytes());
    assert_eq!(
        container::read(&bytes).expect_err("beyond").to_string(),
        format!(
            "the bundle is truncated: section \"ABCD\" needs 1000 bytes at offset 56 but the file has {}",
            bytes.len()
        )
    );
}

#[test]
fn a_flipped_content_byte_fails_the_checksum() {
    let mut bytes = two_sections();
    bytes[57] ^= 1;
    let error = container::read(&bytes).expect_err("flipped");
    assert!(matches!(error, ContainerError::Checksum { .. }), "{error}");
    assert!(error.to_string().contains("checksum mismatch"), "{error}");
}

#[test]
fn fields_round_trip() {
    let mut out = FieldWriter::default();
    out.u8(7);
    out.u32(0xdead_beef);
    out.u64(u64::MAX - 1);
    out.f32(-1.25);
    out.f64(f64::NAN);
    out.str("héllo");
    out.len(3);
    out.u32s(&[1, 2, 3]);
    out.f32s(&[0.5, -0.0]);
    out.fixed16(&[1.0, -2.5, 1e9, -1e9], 10);
    out.raw(b"xy");
    let bytes = out.into_bytes();
    let mut input = FieldReader::new(&bytes, "TEST");
    assert_eq!(input.u8(), Ok(7));
    assert_eq!(input.u32(), Ok(0xdead_beef));
    assert_eq!(input.u64(), Ok(u64::MAX - 1));
    assert_eq!(input.f32(), Ok(-1.25));
    assert!(input.f64().expect("f64").is_nan());
    assert_eq!(input.str().as_deref(), Ok("héllo"));
    assert_eq!(input.len(4), Ok(3));
    assert_eq!(input.u32s(3), Ok(vec![1, 2, 3]));
    assert_eq!(input.f32s(2), Ok(vec![0.5, -0.0]));
    let max = f32::from(i16::MAX) / 1024.0;
    let min = f32::from(i16::MIN) / 1024.0;
    assert_eq!(input.fixed16(4, 10), Ok(vec![1.0, -2.5, max, min]));
    assert!(input.finish().is_err(), "two raw bytes are left");
    assert_eq!(input.u8(), Ok(b'x'));
    assert_eq!(input.u8(), Ok(b'y'));
    assert_eq!(input.finish(), Ok(()));
}

/// The error message of reading `bytes` with `read`
fn field_error<T: std::fmt::Debug>(
    bytes: &[u8],
    read: impl FnOnce(&mut FieldReader<'_>) -> Result<T, ContainerError>,
) -> String {
    let mut input = FieldReader::new(bytes, "TEST");
    match read(&mut input) {
        Ok(value) => panic!("read {value:?} from {bytes:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn field_errors_name_the_section_what_was_read_and_where() {
    let check = |message: String, detail: &str| {
        assert_eq!(message, format!("section \"TEST\" is malformed: {detail}"));
    };
    check(
        field_error(&[1, 2, 3], |input| input.u32()),
        "reading a u32 needs 4 bytes at offset 0 but the section ends at 3",
    );
    check(
        field_error(&[0, 1, 0, 0, 0, 9], |input| {
            input.u8()?;
            input.f64()
        }),
        "reading an f64 needs 8 bytes at offset 1 but the section ends at 6",
    );
    check(
        field_error(&[2, 0, 0, 0, 0, 0, 0, 0, 0], |input| {
            let n = input.u32()? as usize;
            input.f32s(n)
        }),
        "reading 2 f32 values needs 8 bytes at offset 4 but the section ends at 9",
    );
    check(
        field_error(&[5, 0, 0, 0, 1, 2], |input| input.len(1)),
        "a count of 5 items at offset 0 does not fit in the 2 bytes left (each item takes at least 1)",
    );
    check(
        field_error(&[2, 0, 0, 0, 0xff, 0xfe], |input| input.str()),
        "the string at offset 4 is not valid UTF-8",
    );
    check(
        field_error(&[0, 0, 1], |input| input.fixed16(2, 10)),
        "reading 2 fixed-point values needs 4 bytes at offset 0 but the section ends at 3",
    );
    check(
        field_error(&[0; 4], |input| input.u32s(usize::MAX)),
        &format!("{} u32 values overflow the address space", usize::MAX),
    );
    check(
        field_error(&[0, 0, 0], |input| {
            input.u8()?;
            input.finish()
        }),
        "2 unexpected bytes after the content, from offset 1",
    );
}
