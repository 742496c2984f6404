//! Moving in from another CRM: `import --from` presets on samples in each
//! product's header layout (fixtures/imports/), column joins, the name
//! fallback, `--skip-bad`, and files in legacy encodings.

mod util;
use util::{Test, repo_root};

fn sample(name: &str) -> String {
    repo_root()
        .join("fixtures/imports")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn folder() -> Test {
    Test::new().today("2026-11-23")
}

#[test]
fn zoho_contacts_accounts_and_leads() {
    let t = folder();
    t.run(&["import", &sample("zoho-contacts.csv"), "--from", "zoho"])
        .success()
        .stderr_has("ignoring the columns Record Id, Vendor Name, Title")
        .stderr_has("2 customers created");
    // Family name first without a space in a Chinese name; every email and
    // phone kept; the address in the order a letter is addressed.
    assert_eq!(
        t.read("张伟.yaml"),
        "name: 张伟
kind: person
organization: 杭州星河贸易有限公司
owner: Li Wei
source: Trade Show
tags: [wholesale, east]
contact:
  email: zhang.wei@xinghe.example
  phone: '0571 8888 0000'
  address: '文三路 1 号, 杭州, 浙江, 310012, 中国'
  other_emails: [buyer@xinghe.example]
  other_phones: ['139 0000 0000']
profile:
  birthday: 1979-03-14
  note: Prefers calls after 14:00
"
    );
    assert_eq!(
        t.read("sophie-martin.yaml"),
        "name: Sophie Martin
kind: person
organization: Café Aurora
owner: Ann Lee
source: Web Site
contact:
  email: sophie@aurora.example
  address: '12 Rue Oberkampf, Paris, 75011, France'
"
    );
    t.run(&["import", &sample("zoho-accounts.csv"), "--from", "zoho"])
        .success();
    assert_eq!(
        t.read("kestrel-freight-llc.yaml"),
        "name: Kestrel Freight LLC
kind: company
owner: Li Wei
tags: [freight]
contact:
  phone: '+1 555 0100'
  address: '400 Harbor Way, Oakland, CA, 94607, USA'
  website: https://kestrel.example
profile:
  note: Ships twice a month
"
    );
    t.run(&["import", &sample("zoho-leads.csv"), "--from", "zoho"])
        .success();
    assert_eq!(
        t.read("пётр-иванов.yaml"),
        "name: Пётр Иванов
kind: person
organization: Северный Ветер ООО
owner: Ann Lee
source: Cold Call
contact:
  email: petr@severny.example
  phone: '+7 812 000 00 00'
  address: 'Невский проспект 1, Санкт-Петербург, 191186, Россия'
profile:
  note: Asked for a price list
"
    );
    t.run(&["check"]).success().stdout_empty();
}

#[test]
fn hubspot_contacts_and_companies() {
    let t = folder();
    t.run(&[
        "import",
        &sample("hubspot-contacts.csv"),
        "--from",
        "hubspot",
    ])
    .success()
    .stderr_has("2 customers created");
    assert_eq!(
        t.read("emily-carter.yaml"),
        "name: Emily Carter
kind: person
organization: Bluebell Foods Ltd
owner: Li Wei
source: Organic Search
contact:
  email: emily@bluebell.example
  phone: '+1 555 0142'
  address: '1 Mill Lane, Leeds, West Yorkshire, LS1 4AB, United Kingdom'
  website: https://bluebell.example
  other_emails: [emily.carter@gmail.example, e.carter@bluebell.example]
  other_phones: ['0123456789']
"
    );
    // A row without a name is named after its organisation, a company.
    assert_eq!(
        t.read("harbor-pine-co.yaml"),
        "name: Harbor Pine Co
kind: company
owner: Ann Lee
source: Offline Sources
contact:
  phone: '+44 20 7946 0000'
"
    );
    t.run(&[
        "import",
        &sample("hubspot-companies.csv"),
        "--from",
        "hubspot",
    ])
    .success();
    assert_eq!(
        t.read("mehta-imports.yaml"),
        "name: Mehta Imports
kind: company
owner: Li Wei
contact:
  phone: '+91 22 0000 0000'
  address: '12 Marine Drive, Floor 3, Mumbai, Maharashtra, 400020, India'
  website: https://mehta.example
profile:
  note: Imports spices
"
    );
}

#[test]
fn salesforce_contacts() {
    let t = folder();
    t.run(&[
        "import",
        &sample("salesforce-contacts.csv"),
        "--from",
        "salesforce",
    ])
    .success();
    assert_eq!(
        t.read("james-o-brien.yaml"),
        "name: James O'Brien
kind: person
organization: Oakridge Hardware Inc
owner: Li Wei
source: Partner Referral
contact:
  email: james@oakridge.example
  phone: '+1 555 0199'
  address: '77 Elm Street, Springfield, IL, 62701, USA'
profile:
  birthday: 1970-11-02
  note: Met at the hardware fair
"
    );
}

#[test]
fn google_contacts_with_a_nameless_row() {
    let t = folder();
    t.run(&["import", &sample("google-contacts.csv"), "--from", "google"])
        .success()
        .stderr_has("2 customers created");
    assert_eq!(
        t.read("mei-ling-tan.yaml"),
        "name: Mei Ling Tan
kind: person
organization: Silverline Electronics Pte Ltd; Procurement
tags: [Clients]
contact:
  email: meiling@silverline.example
  phone: '+65 9000 0000'
  address: '1 Science Park Rd, Singapore, 117528, Singapore'
  website: https://silverline.example
  other_emails: [tanml@mail.example]
  other_phones: ['+65 6000 0000']
profile:
  birthday: --08-21
  note: Met at Computex
"
    );
    // Only an email: it names the customer.
    assert_eq!(
        t.read("ops-lumen-example.yaml"),
        "name: ops@lumen.example\ncontact:\n  email: ops@lumen.example\n"
    );
}

#[test]
fn outlook_dates_and_the_empty_date_placeholder() {
    let t = folder();
    t.run(&[
        "import",
        &sample("outlook-contacts.csv"),
        "--from",
        "outlook",
    ])
    .success()
    .stderr_has("2 customers created");
    assert_eq!(
        t.read("greta-lindqvist.yaml"),
        "name: Greta Lindqvist
kind: person
organization: Northgate Pharmacy Ltd; Procurement
tags: [VIP, pharmacy]
contact:
  email: greta@northgate.example
  phone: '+44 161 000 0000'
  address: '5 King Street, Manchester, M2 4LQ, United Kingdom'
  website: northgate.example
  other_phones: ['+44 7700 900000']
profile:
  birthday: 1979-03-14
  anniversary: 2015-06-01
  note: Prefers email
"
    );
    // `0/0/00` is Outlook's empty date.
    assert_eq!(
        t.read("sam-okafor.yaml"),
        "name: Sam Okafor\nkind: person\ncontact:\n  email: sam@okafor.example\n"
    );
    // A second import of the same file matches by email: nothing new.
    t.run(&[
        "import",
        &sample("outlook-contacts.csv"),
        "--from",
        "outlook",
    ])
    .success()
    .stderr_has("2 rows already present, skipped");
}

#[test]
fn map_joins_columns() {
    let t = folder().file(
        "in.csv",
        "Given,Family,Street,City,Postcode,Mail\n\
         Wei,Zhang,1 Main St,Springfield,62701,wei@x.example\n\
         伟,张,文三路 1 号,杭州,310012,zw@x.example\n",
    );
    let file = t.path().join("in.csv");
    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        "customers",
        "--map",
        "Given+Family=name",
        "--map",
        "Street+City+Postcode=address",
        "--map",
        "Mail=email",
    ])
    .success()
    .stderr_has("2 customers created");
    assert_eq!(
        t.read("wei-zhang.yaml"),
        "name: Wei Zhang\ncontact:\n  email: wei@x.example\n  address: '1 Main St, Springfield, 62701'\n"
    );
    assert_eq!(
        t.read("张伟.yaml"),
        "name: 张伟\ncontact:\n  email: zw@x.example\n  address: '文三路 1 号, 杭州, 310012'\n"
    );
    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        "customers",
        "--map",
        "Given=name",
        "--map",
        "Family=name",
    ])
    .bad_input()
    .stderr_has("the columns `Given` and `Family` both map to `name`; join them with --map 'Given+Family=name'");
    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        "customers",
        "--map",
        "Given+Nope=name",
    ])
    .bad_input()
    .stderr_has("--map: the file has no column `Nope`");
}

#[test]
fn skip_bad_imports_the_good_rows_and_writes_the_refused_ones() {
    let t = folder().file(
        "in.csv",
        "name,email,birthday,owner\n\
         Acme,a@acme.example,1979-02-30,ann\n\
         Globex,g@globex.example,,bob\n\
         ,,,carl\n\
         Initech,i@initech.example,--03-14,\n",
    );
    let file = t.path().join("in.csv");
    let file = file.to_str().unwrap();
    let before = t.snapshot();
    // Without --skip-bad one bad row stops everything.
    t.run(&["import", file, "--as", "customers"])
        .bad_input()
        .stderr_has("in.csv:2: column `birthday`: `1979-02-30` is not a date");
    assert_eq!(t.snapshot(), before);
    let refused = t.path().join("refused.csv");
    t.run(&[
        "import",
        file,
        "--as",
        "customers",
        "--skip-bad",
        refused.to_str().unwrap(),
    ])
    .success()
    .stderr_has("2 customers created")
    .stderr_has("kith: 2 rows refused, written to ");
    assert_eq!(
        t.read("globex.yaml"),
        "name: Globex\nowner: bob\ncontact:\n  email: g@globex.example\n"
    );
    assert_eq!(
        t.read("initech.yaml"),
        "name: Initech\ncontact:\n  email: i@initech.example\nprofile:\n  birthday: --03-14\n"
    );
    assert!(!t.exists("acme.yaml"));
    assert_eq!(
        t.read("refused.csv"),
        "name,email,birthday,owner,reason\r\n\
         Acme,a@acme.example,1979-02-30,ann,\"2: column `birthday`: `1979-02-30` is not a date; write YYYY-MM-DD, 2026/11/23 or 23.11.2026, or give the file's form with --date-format (e.g. %m/%d/%Y)\"\r\n\
         ,,,carl,\"4: column `name`: a new customer needs a name, an organization, an email or a phone\"\r\n"
    );
}

#[test]
fn legacy_encodings_and_byte_order_marks() {
    let t = folder();
    let gbk = encoding_rs::GBK
        .encode("name,email\n杭州星河贸易有限公司,buyer@xinghe.example\n")
        .0;
    std::fs::write(t.path().join("gbk.csv"), &gbk).unwrap();
    let file = t.path().join("gbk.csv");
    let file = file.to_str().unwrap();
    t.run(&["import", file, "--as", "customers"])
        .bad_input()
        .stderr_has(
            "gbk.csv:2:1: the file is not UTF-8; it looks like GBK: import it with --encoding gbk, or save it as \"CSV UTF-8\"",
        );
    t.run(&["import", file, "--as", "customers", "--encoding", "gbk"])
        .success();
    assert_eq!(
        t.read("杭州星河贸易有限公司.yaml"),
        "name: 杭州星河贸易有限公司\ncontact:\n  email: buyer@xinghe.example\n"
    );

    let cyrillic = encoding_rs::WINDOWS_1251
        .encode("name;phone\nИванов Пётр;+7 812 000 00 00\n")
        .0;
    std::fs::write(t.path().join("ru.csv"), &cyrillic).unwrap();
    let file = t.path().join("ru.csv");
    t.run(&["import", file.to_str().unwrap(), "--as", "customers"])
        .bad_input()
        .stderr_has("--encoding windows-1251");
    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        "customers",
        "--encoding",
        "windows-1251",
    ])
    .success();
    assert_eq!(
        t.read("иванов-пётр.yaml"),
        "name: Иванов Пётр\ncontact:\n  phone: '+7 812 000 00 00'\n"
    );

    // Outlook writes UTF-16 with a byte-order mark; no option needed.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "First Name\tLast Name\tE-mail Address\r\nYuki\tSato\tyuki@sato.example\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(t.path().join("outlook.csv"), &utf16).unwrap();
    let file = t.path().join("outlook.csv");
    t.run(&["import", file.to_str().unwrap(), "--from", "outlook"])
        .success();
    assert_eq!(
        t.read("yuki-sato.yaml"),
        "name: Yuki Sato\nkind: person\ncontact:\n  email: yuki@sato.example\n"
    );

    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--from",
        "outlook",
        "--encoding",
        "klingon",
    ])
    .bad_input()
    .stderr_has("--encoding: `klingon` is not an encoding");
}

#[test]
fn an_android_phone_export_with_nameless_cards_and_photos() {
    let t = folder();
    t.run(&["import", &sample("android.vcf"), "--as", "contacts"])
        .success()
        .stderr_has("6 customers created");
    // vCard 2.1: a base64 photo over lines without indentation, read past.
    assert_eq!(
        t.read("jia-chen.yaml"),
        "name: Jia Chen
kind: person
contact:
  email: jia.chen@mail.example
  phone: '+86 138 0000 0001'
  other_phones: ['020 8000 0000']
"
    );
    assert_eq!(
        t.read("王小明.yaml"),
        "name: 王小明\nkind: person\ncontact:\n  phone: '139 0000 0002'\n"
    );
    // Two cards carry only an email, one only an organisation.
    assert_eq!(
        t.read("orders-fjord-example.yaml"),
        "name: orders@fjord.example\ncontact:\n  email: orders@fjord.example\n"
    );
    assert_eq!(
        t.read("support-lumen-example.yaml"),
        "name: support@lumen.example\ncontact:\n  email: support@lumen.example\n"
    );
    assert_eq!(
        t.read("bluebell-foods-ltd.yaml"),
        "name: Bluebell Foods Ltd\nkind: company\ncontact:\n  phone: '+44 113 000 0004'\n"
    );
    assert_eq!(
        t.read("marco-rossi.yaml"),
        "name: Marco Rossi\nkind: person\ncontact:\n  phone: '+39 02 0000 0003'\nprofile:\n  birthday: 1985-07-09\n"
    );
}

#[test]
fn vcard_properties_and_the_uid_across_imports() {
    let t = folder();
    let file = sample("addressbook.vcf");
    t.run(&["import", &file, "--as", "contacts"])
        .success()
        .stderr_has("3 customers created");
    // The stress mark stays inside the word of the derived id.
    let petro = "петро-володи\u{301}мирович.yaml";
    assert_eq!(
        t.read(petro),
        "name: Петро Володи\u{301}мирович
kind: person
organization: IBM; Accounting
tags: [clients, 'east, wing']
contact:
  email: petro@mail.example
  phone: '+1 555 0100 ext. 102'
  address: '1 Main St, Suite 5, PO Box 7, Springfield, IL, 62701, USA'
  website: https://ibm.example/petro
  other_emails: [petro@ibm.example]
  other_phones: ['+1 555 0199']
profile:
  birthday: 1979-03-14
  note: \"Met at the trade fair\\nprefers email\"
uid: urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1
"
    );
    assert_eq!(
        t.read("anna-petrova.yaml"),
        "name: Anna Petrova
kind: person
contact:
  email: anna@petrova.example
  phone: '+7-812-000-0000 ext. 55'
profile:
  birthday: --02-29
  anniversary: 2015-06-01
uid: urn:uuid:0d3a5c4e-9b1f-4a7e-8f2d-6b1c9e7a5d30
"
    );
    assert_eq!(
        t.read("globex.yaml"),
        "name: Globex
kind: company
organization: Globex; Sales
contact:
  website: https://globex.example
uid: urn:uuid:0d3a5c4e-9b1f-4a7e-8f2d-6b1c9e7a5d30
"
        .replace(
            "0d3a5c4e-9b1f-4a7e-8f2d-6b1c9e7a5d30",
            "a1b2c3d4-0000-4000-8000-000000000001"
        )
    );
    // The same file again: every card is known by its UID.
    t.run(&["import", &file, "--as", "contacts"])
        .success()
        .stderr_has("3 rows already present, skipped");
    // Anna changed her email and name: her UID still finds her.
    let changed = std::fs::read_to_string(&file)
        .unwrap()
        .replace("anna@petrova.example", "anna@new.example")
        .replace("FN:Anna Petrova", "FN:Anna Ivanova");
    t.write("changed.vcf", &changed);
    let changed = t.path().join("changed.vcf");
    t.run(&[
        "import",
        changed.to_str().unwrap(),
        "--as",
        "contacts",
        "--update",
    ])
    .success()
    .stderr_has("1 customer changed");
    assert!(!t.exists("anna-ivanova.yaml") && !t.exists("anna-petrova-2.yaml"));
    assert!(
        t.read("anna-petrova.yaml")
            .starts_with("name: Anna Ivanova\nkind: person\ncontact:\n  email: anna@new.example\n")
    );
    t.run(&["check"]).success().stdout_empty();
}

#[test]
fn vcard_dates_in_the_files_own_form() {
    let t = folder().file(
        "c.vcf",
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nBDAY:14/03/1979\nEND:VCARD\n",
    );
    let file = t.path().join("c.vcf");
    let file = file.to_str().unwrap();
    t.run(&["import", file, "--as", "contacts"])
        .bad_input()
        .stderr_has("c.vcf:1: column `BDAY`: `14/03/1979` is not a date");
    t.run(&[
        "import",
        file,
        "--as",
        "contacts",
        "--date-format",
        "%d/%m/%Y",
    ])
    .success();
    assert_eq!(
        t.read("ana-lima.yaml"),
        "name: Ana Lima\nkind: person\nprofile:\n  birthday: 1979-03-14\n"
    );
}

#[test]
fn a_refused_card_is_written_back_with_its_reason() {
    let t = folder().file(
        "c.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Good\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nothing else\r\nEND:VCARD\r\n",
    );
    let file = t.path().join("c.vcf");
    let refused = t.path().join("refused.vcf");
    t.run(&[
        "import",
        file.to_str().unwrap(),
        "--as",
        "contacts",
        "--skip-bad",
        refused.to_str().unwrap(),
    ])
    .success()
    .stderr_has("1 customer created")
    .stderr_has("1 row refused");
    assert_eq!(
        t.read("refused.vcf"),
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nothing else\r\nX-KITH-REASON:5: the card has no name, organisation, email or phone (FN, N, ORG, EMAIL, TEL)\r\nEND:VCARD\r\n"
    );
}

/// Converts `csv` to xlsx and back to CSV through LibreOffice, as a person
/// opening the export and saving it again would. LibreOffice is required:
/// without `soffice` on PATH this fails (CI installs it).
fn through_libreoffice(dir: &std::path::Path, csv: &std::path::Path) -> String {
    let work = dir.join("xlsx");
    let profile = dir.join("profile");
    std::fs::create_dir_all(&work).unwrap();
    let soffice = |args: &[&str]| {
        let out = std::process::Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args(["--headless", "--norestore"])
            .args(args)
            .output()
            .expect("soffice must be installed for this test (Debian: libreoffice-calc-nogui)");
        assert!(out.status.success(), "soffice {args:?}: {out:?}");
    };
    let stem = csv.file_stem().unwrap().to_str().unwrap();
    // Comma-separated, double quotes, UTF-8 (76), from line 1: LibreOffice's
    // own detection of numbers and dates stays on, as when a person opens it.
    soffice(&[
        "--infilter=CSV:44,34,76,1",
        "--convert-to",
        "xlsx",
        "--outdir",
        work.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    let xlsx = work.join(format!("{stem}.xlsx"));
    let back = dir.join("back");
    soffice(&[
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "--outdir",
        back.to_str().unwrap(),
        xlsx.to_str().unwrap(),
    ]);
    back.join(format!("{stem}.csv"))
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_round_trip_through_libreoffice_keeps_text_as_text() {
    let t = folder()
        .file(
            "acme.yaml",
            "name: Acme
owner: '007'
contact:
  phone: '0123456789'
  address: '1,234 Main St'
profile:
  birthday: --03-14
interactions:
  - date: 2026-11-20
    kind: call
    summary: '3/4'
  - date: 2026-11-21
    kind: note
    summary: '1e5'
    product: 'TRUE'
  - date: 2026-11-22
    kind: purchase
    summary: '2026-01-01'
    amount: 1200.50
    product: '1.10'
    payment: '50%'
",
        )
        .file(
            "tan.yaml",
            "name: '00123'\ncontact:\n  phone: '1234567890123456789'\n  website: '10:30'\n",
        );
    t.run(&["check"]).success().stdout_empty();
    let before = t.snapshot();
    let lo = tempfile::tempdir().unwrap();
    for table in ["customers", "interactions"] {
        let csv = lo.path().join(format!("{table}.csv"));
        t.run(&["export", table, "-o", csv.to_str().unwrap()])
            .success();
        let back = through_libreoffice(lo.path(), &csv);
        t.run(&["import", &back, "--as", table, "--update"])
            .success()
            .stderr_has("already present, skipped");
    }
    assert_eq!(t.snapshot(), before, "the round trip changed a record");
}

/// The spreadsheet round trip of the issue that once doubled revenue: export
/// the interactions, set a rating on a purchase, save through LibreOffice,
/// import with `--update`: one purchase, rated, and the same revenue.
#[test]
fn a_rating_set_in_libreoffice_changes_that_purchase_only() {
    let t = folder().file(
        "acme.yaml",
        "name: Acme
interactions:
  - date: 2026-11-20
    kind: call
    summary: '3/4'
  - date: 2026-11-22
    kind: purchase
    summary: Big order
    amount: 1200.00
    product: '1.10'
",
    );
    let lo = tempfile::tempdir().unwrap();
    let csv = lo.path().join("interactions.csv");
    t.run(&["export", "interactions", "-o", csv.to_str().unwrap()])
        .success();
    let mut rows: Vec<Vec<String>> = csv::Reader::from_path(&csv)
        .unwrap()
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let header: Vec<String> = csv::Reader::from_path(&csv)
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rating = header.iter().position(|h| h == "rating").unwrap();
    let purchase = rows
        .iter()
        .position(|r| r.contains(&"purchase".to_string()))
        .unwrap();
    rows[purchase][rating] = "4".into();
    let mut w = csv::Writer::from_path(&csv).unwrap();
    w.write_record(&header).unwrap();
    for r in &rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
    let back = through_libreoffice(lo.path(), &csv);
    t.run(&["import", &back, "--as", "interactions", "--update"])
        .success()
        .stderr_has("1 customer changed, 1 interaction changed, 1 row already present, skipped");
    assert_eq!(
        t.read("acme.yaml"),
        "name: Acme
interactions:
  - date: 2026-11-20
    kind: call
    summary: '3/4'
  - date: 2026-11-22
    kind: purchase
    summary: Big order
    amount: 1200.00
    product: '1.10'
    rating: 4
"
    );
    // The same file again names a purchase that has changed since: refused.
    t.run(&["import", &back, "--as", "interactions", "--update"])
        .bad_input()
        .stderr_has("names none of acme's interactions");
}
