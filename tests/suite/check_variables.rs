//! The book's variables: `undefined-variable` (a placeholder an
//! environment leaves without a value is an error at the chapter's line,
//! once per key and environment; a chapter on a path the environment does
//! not follow is not its business), the declarations of `variables.yaml`
//! (`undeclared-variable`, `unused-variable`, `unknown-environment-key`,
//! `invalid-variable-value`, `derived-value-mismatch`) and
//! `environment-invalid`, each with its exact message and place.

use runsheet::check;
use runsheet::{LoadOptions, load};
use std::fs;
use std::path::Path;

fn book(dir: &Path, chapter: &str, lab: &str, prod: &str) {
    fs::write(dir.join("book.toml"), "[book]\nsrc = \"src\"\n").unwrap();
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::create_dir_all(dir.join("environments")).unwrap();
    fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n# Common\n\n- [Domain](domain.md)\n\n# Option 2\n\n- [DLL](dll.md)\n",
    )
    .unwrap();
    fs::write(dir.join("src/domain.md"), chapter).unwrap();
    fs::write(
        dir.join("src/dll.md"),
        "# DLL\n\n1. Copy the DLL to {{ server.extensions }}.\n",
    )
    .unwrap();
    fs::write(dir.join("environments/lab.yaml"), lab).unwrap();
    fs::write(dir.join("environments/prod.yaml"), prod).unwrap();
}

fn findings(dir: &Path) -> Vec<(String, usize, usize, String)> {
    findings_of(dir, "undefined-variable")
}

fn findings_of(dir: &Path, rule: &str) -> Vec<(String, usize, usize, String)> {
    let guide = load(dir, &LoadOptions::default()).unwrap();
    check::session::check_guide(&guide)
        .unwrap()
        .into_iter()
        .filter(|d| d.rule == rule)
        .map(|d| (d.file, d.line, d.column, d.message))
        .collect()
}

fn row(file: &str, line: usize, column: usize, message: &str) -> (String, usize, usize, String) {
    (file.to_string(), line, column, message.to_string())
}

const SKIP_OPTION_2: &str = "path:\n  skip_parts: [\"Option 2\"]\n";

#[test]
fn every_placeholder_defined_in_every_environment_passes() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }}.\n",
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: contoso.local\n"),
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: fabrikam.local\n"),
    );
    assert_eq!(findings(dir.path()), []);
}

#[test]
fn a_value_missing_in_one_environment_is_reported_for_that_environment() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }} as {{ ad.account }}.\n",
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: contoso.local\n    account: MIMMA\n"),
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: fabrikam.local\n"),
    );
    assert_eq!(
        findings(dir.path()),
        [(
            "domain.md".to_string(),
            3,
            28,
            "`{{ ad.account }}` has no value in environment `prod`".to_string()
        )]
    );
}

#[test]
fn chapters_off_an_environments_path_are_not_checked_against_it() {
    let dir = tempfile::tempdir().unwrap();
    // Neither environment defines server.extensions, which only the
    // skipped option-2 chapter uses.
    book(
        dir.path(),
        "# Domain\n\nNothing to fill in.\n",
        SKIP_OPTION_2,
        &format!("{SKIP_OPTION_2}values:\n  other: x\n"),
    );
    assert_eq!(findings(dir.path()), []);
}

#[test]
fn an_unreadable_environment_is_reported_at_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }}.\n",
        "values: [broken\n",
        SKIP_OPTION_2,
    );
    // Reported as what it is, not as a missing value: only prod, which
    // gives no value, misses one.
    assert_eq!(
        findings(dir.path()),
        [row(
            "domain.md",
            3,
            9,
            "`{{ ad.domain }}` has no value in environment `prod`"
        )]
    );
    // The parser stops at the end of the file, where the list is still open.
    assert_eq!(
        findings_of(dir.path(), "environment-invalid"),
        [row(
            "../environments/lab.yaml",
            2,
            1,
            "not valid YAML: while parsing a flow sequence, expected ',' or ']'"
        )]
    );
}

#[test]
fn an_invalid_environment_makes_check_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }}.\n",
        "values: [broken\n",
        SKIP_OPTION_2,
    );
    let out = crate::common::runsheet()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = crate::common::errors(&json);
    assert_eq!(errors[0]["rule"], "environment-invalid", "{json}");
}

#[test]
fn a_missing_value_is_one_finding_per_key_listing_every_use() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join {{ ad.domain }}.\n2. Check {{ ad.domain }} and {{ ad.domain }}.\n",
        &format!("{SKIP_OPTION_2}values:\n  ad:\n    domain: contoso.local\n"),
        "values:\n  other: x\n",
    );
    assert_eq!(
        findings(dir.path()),
        [
            row(
                "dll.md",
                3,
                20,
                "`{{ server.extensions }}` has no value in environment `prod`"
            ),
            row(
                "domain.md",
                3,
                9,
                "`{{ ad.domain }}` has no value in environment `prod` (used 3 times; also at domain.md:4)"
            ),
        ]
    );
}

/// A book with declarations: `domain.md` uses ad.domain, ad.guest_ou_dn
/// and server.name; prod extends `_base`.
fn declared_book(dir: &Path, prod: &str) {
    crate::common::write_files(
        dir,
        &[
            ("book.toml", "[book]\nsrc = \"src\"\n"),
            ("src/SUMMARY.md", "# Summary\n\n- [Domain](domain.md)\n"),
            (
                "src/domain.md",
                "# Domain\n\n1. Join {{ ad.domain }} on {{ server.name }}.\n2. Provision into {{ ad.guest_ou_dn }}.\n3. Paste {{ aad.secret }}.\n",
            ),
            (
                "variables.yaml",
                "ad.domain:\n  description: The domain.\n  type: domain\n  example: corp.fabrikam.com\nad.guest_ou:\n  description: The guest OU.\n  example: B2B Guests\nad.guest_ou_dn:\n  description: The guest OU's DN.\n  type: distinguished_name\n  derive: \"OU={{ ad.guest_ou | rdn }},{{ ad.domain | dn }}\"\nserver.name:\n  description: The MIM server.\n  type: hostname\n  example: FABMIM01\naad.secret:\n  description: The client secret.\n  secret: true\n",
            ),
            (
                "environments/_base.yaml",
                "values:\n  ad:\n    guest_ou: B2B Guests\n",
            ),
            ("environments/prod.yaml", prod),
        ],
    );
}

const GOOD_PROD: &str = "extends: _base\nvalues:\n  ad:\n    domain: corp.fabrikam.com\n  server:\n    name: FABMIM01\n";

#[test]
fn a_book_that_declares_its_variables_passes() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(dir.path(), GOOD_PROD);
    let guide = load(dir.path(), &LoadOptions::default()).unwrap();
    let found = check::session::check_guide(&guide).unwrap();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_placeholder_the_book_does_not_declare() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(dir.path(), GOOD_PROD);
    std::fs::write(
        dir.path().join("src/domain.md"),
        "# Domain\n\n1. Join {{ ad.domian }} on {{ server.name }}, {{ ad.guest_ou_dn }}, {{ aad.secret }}, {{ ad.domain }}.\n",
    )
    .unwrap();
    assert_eq!(
        findings_of(dir.path(), "undeclared-variable"),
        [row(
            "domain.md",
            3,
            9,
            "`{{ ad.domian }}` is not declared in variables.yaml (did you mean `ad.domain`?)"
        )]
    );
}

#[test]
fn a_declared_variable_nothing_uses_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(dir.path(), GOOD_PROD);
    assert_eq!(findings_of(dir.path(), "unused-variable"), []);
    std::fs::write(
        dir.path().join("src/domain.md"),
        "# Domain\n\n1. Join {{ ad.domain }}, {{ ad.guest_ou_dn }}, {{ aad.secret }}.\n",
    )
    .unwrap();
    let guide = load(dir.path(), &LoadOptions::default()).unwrap();
    let found: Vec<_> = check::session::check_guide(&guide)
        .unwrap()
        .into_iter()
        .filter(|d| d.rule == "unused-variable")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, check::Severity::Warning);
    assert_eq!(
        (
            found[0].file.as_str(),
            found[0].line,
            found[0].message.as_str()
        ),
        (
            "../variables.yaml",
            12,
            "`server.name` is declared, but no chapter or derivation uses it"
        )
    );
}

#[test]
fn a_key_the_book_does_not_declare_is_an_error_with_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(
        dir.path(),
        "extends: _base\nvalues:\n  ad:\n    domain: corp.fabrikam.com\n  server:\n    name: FABMIM01\n  sever: { name: FABMIM02 }\n",
    );
    assert_eq!(
        findings_of(dir.path(), "unknown-environment-key"),
        [row(
            "../environments/prod.yaml",
            7,
            12,
            "`values.sever.name` is not a variable the book declares (did you mean `server.name`?)"
        )]
    );
}

#[test]
fn a_value_not_of_its_type_names_the_environment_and_the_form() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(
        dir.path(),
        "extends: _base\nvalues:\n  ad:\n    domain: FABRIKAM\n  server:\n    name: [FABMIM01, FABMIM02]\n",
    );
    assert_eq!(
        findings_of(dir.path(), "invalid-variable-value"),
        [
            row(
                "../environments/prod.yaml",
                4,
                13,
                "`ad.domain` is `FABRIKAM` in environment `prod`, which is not a DNS domain of two labels or more, e.g. corp.fabrikam.com"
            ),
            row(
                "../environments/prod.yaml",
                6,
                11,
                "`server.name` is a list of 2 in environment `prod`, but a placeholder stands for one value"
            ),
        ]
    );
}

#[test]
fn a_secret_in_an_environment_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(
        dir.path(),
        &format!("{GOOD_PROD}  aad:\n    secret: hunter2\n"),
    );
    assert_eq!(
        findings_of(dir.path(), "invalid-variable-value"),
        [row(
            "../environments/prod.yaml",
            8,
            13,
            "`aad.secret` is a secret and is set in a file"
        )]
    );
}

#[test]
fn a_derived_value_set_to_something_else_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(dir.path(), GOOD_PROD);
    std::fs::write(
        dir.path().join("environments/prod.yaml"),
        "extends: _base\nvalues:\n  server:\n    name: FABMIM01\n  ad:\n    domain: corp.fabrikam.com\n    guest_ou_dn: OU=B2B Guests,OU=Identity,DC=corp,DC=fabrikam,DC=com\n",
    )
    .unwrap();
    assert_eq!(
        findings_of(dir.path(), "derived-value-mismatch"),
        [row(
            "../environments/prod.yaml",
            7,
            18,
            "`ad.guest_ou_dn` is `OU=B2B Guests,OU=Identity,DC=corp,DC=fabrikam,DC=com` in environment `prod`, but it is derived as `OU=B2B Guests,DC=corp,DC=fabrikam,DC=com` from `ad.domain` and `ad.guest_ou`"
        )]
    );
    // The same value, written by hand, agrees and passes.
    std::fs::write(
        dir.path().join("environments/prod.yaml"),
        "extends: _base\nvalues:\n  server:\n    name: FABMIM01\n  ad:\n    domain: corp.fabrikam.com\n    guest_ou_dn: OU=B2B Guests,DC=corp,DC=fabrikam,DC=com\n",
    )
    .unwrap();
    assert_eq!(findings_of(dir.path(), "derived-value-mismatch"), []);
}

#[test]
fn declarations_that_cannot_be_read_are_environment_invalid() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(dir.path(), GOOD_PROD);
    std::fs::write(
        dir.path().join("variables.yaml"),
        "ad.domain:\n  description: The domain.\n  type: domian\n",
    )
    .unwrap();
    assert_eq!(
        findings_of(dir.path(), "environment-invalid"),
        [row(
            "../variables.yaml",
            3,
            9,
            "`ad.domain`: unknown variant `domian`, expected one of `string`, `integer`, `boolean`, `hostname`, `domain`, `distinguished_name`, `guid`, `url`, `email`, `windows_path`, `account`, `one_of`"
        )]
    );
}

#[test]
fn an_active_directory_partition_that_is_not_a_distinguished_name() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(
        dir.path(),
        &format!(
            "{GOOD_PROD}agents:\n  ad:\n    name: ADMA\n    type: Active Directory Domain Services\n    partition: corp.fabrikam.com\n"
        ),
    );
    assert_eq!(
        findings_of(dir.path(), "invalid-variable-value"),
        [row(
            "../environments/prod.yaml",
            11,
            16,
            "the partition of agent `ad` is `corp.fabrikam.com` in environment `prod`, which is not a distinguished name: ATTRIBUTE=value pairs joined by commas, e.g. OU=B2B Guests,DC=corp,DC=fabrikam,DC=com"
        )]
    );
}

#[test]
fn a_derived_value_whose_parts_are_missing_is_reported_through_its_parts() {
    let dir = tempfile::tempdir().unwrap();
    declared_book(
        dir.path(),
        "extends: _base\nvalues:\n  server:\n    name: FABMIM01\n",
    );
    assert_eq!(
        findings(dir.path()),
        [row(
            "domain.md",
            3,
            9,
            "`{{ ad.domain }}` has no value in environment `prod`"
        )]
    );
}

// ------------------------------------------------ what the book declares

/// The book of [`book`] with `variables.yaml` declaring `declarations`.
fn book_declaring(dir: &Path, declarations: &str, lab: &str, prod: &str) {
    book(dir, "# Domain\n\n1. Join {{ ad.domain }}.\n", lab, prod);
    fs::write(
        dir.join("variables.yaml"),
        format!(
            "ad.domain:\n  description: The domain.\n  type: domain\nserver.extensions:\n  description: The extensions folder.\n{declarations}"
        ),
    )
    .unwrap();
}

const OPTIONS: &str =
    "path:\n  alternatives:\n    - parts: [Common, \"Option 2\"]\n      choose: at_most_one\n";

#[test]
fn a_path_entry_that_names_nothing_is_an_error_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n1. Join the domain.\n",
        "path:\n  skip_parts: [\"option 2\"]\n  skip_chapters: [dl.md]\n",
        SKIP_OPTION_2,
    );
    assert_eq!(
        findings_of(dir.path(), "unknown-path-entry"),
        [
            row(
                "../environments/lab.yaml",
                2,
                16,
                "`option 2` is not a part of the book (did you mean `Option 2`?); the parts are `Common`, `Option 2`"
            ),
            row(
                "../environments/lab.yaml",
                3,
                19,
                "`dl.md` is not a chapter of the book (did you mean `dll.md`?)"
            ),
        ]
    );
    // Alternatives the book does not have are the declarations' to mend.
    book_declaring(
        dir.path(),
        "path:\n  alternatives:\n    - parts: [Common, \"Option 3\"]\n",
        SKIP_OPTION_2,
        SKIP_OPTION_2,
    );
    assert_eq!(
        findings_of(dir.path(), "unknown-path-entry"),
        [row(
            "../variables.yaml",
            8,
            23,
            "the alternatives name `Option 3`, which is not a part of the book (did you mean `Option 2`?)"
        )]
    );
}

#[test]
fn an_environment_takes_one_part_of_each_set_of_alternatives() {
    let dir = tempfile::tempdir().unwrap();
    let values = "values:\n  ad:\n    domain: contoso.local\n";
    book_declaring(
        dir.path(),
        &OPTIONS.replace("      choose: at_most_one\n", ""),
        &format!("{SKIP_OPTION_2}{values}"),
        &format!("description: both\n{values}"),
    );
    assert_eq!(
        findings_of(dir.path(), "path-alternatives"),
        [row(
            "../environments/prod.yaml",
            1,
            1,
            "environment `prod` takes 2 alternative parts, `Common` and `Option 2`: it takes exactly one"
        )]
    );
    // At most one: none is fine, both are not.
    book_declaring(
        dir.path(),
        OPTIONS,
        &format!("path:\n  skip_parts: [Common, \"Option 2\"]\n{values}"),
        &format!("description: both\n{values}"),
    );
    assert_eq!(
        findings_of(dir.path(), "path-alternatives"),
        [row(
            "../environments/prod.yaml",
            1,
            1,
            "environment `prod` takes 2 alternative parts, `Common` and `Option 2`: it takes one at most"
        )]
    );
}

#[test]
fn a_declared_check_that_fails_is_reported_at_the_value_with_what_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let check = "server.name:\n  description: The server.\n  checks:\n    - expect: \"server.name | length <= 15 and ad.domain is not none\"\n      message: a NetBIOS computer name has 15 characters at most\n";
    book_declaring(
        dir.path(),
        check,
        &format!(
            "{SKIP_OPTION_2}values:\n  ad:\n    domain: contoso.local\n  server:\n    name: MIM3\n"
        ),
        &format!(
            "{SKIP_OPTION_2}values:\n  ad:\n    domain: fabrikam.local\n  server:\n    name: FABRIKAM-MIM-SERVER-01\n"
        ),
    );
    assert_eq!(
        findings_of(dir.path(), "value-check"),
        [row(
            "../environments/prod.yaml",
            7,
            11,
            "a NetBIOS computer name has 15 characters at most: in environment `prod`, `ad.domain` is `fabrikam.local` (set at environments/prod.yaml:5), `server.name` is `FABRIKAM-MIM-SERVER-01` (set at environments/prod.yaml:7)"
        )]
    );
}

#[test]
fn a_cycle_naming_a_profile_no_table_creates_is_an_error_at_its_step() {
    let dir = tempfile::tempdir().unwrap();
    book(
        dir.path(),
        "# Domain\n\n| Name | Type |\n| --- | --- |\n| Full Import (Stage Only) | Full Import (Stage Only) |\n",
        &format!(
            "{SKIP_OPTION_2}agents:\n  ad: {{ name: ADMA, type: Active Directory Domain Services, partition: \"DC=x,DC=y\" }}\ncycles:\n  initial:\n    - {{ agent: ad, profile: Full Import }}\n"
        ),
        &format!(
            "{SKIP_OPTION_2}agents:\n  ad: {{ name: ADMA, type: Active Directory Domain Services, partition: \"DC=x,DC=y\" }}\n"
        ),
    );
    assert_eq!(
        findings_of(dir.path(), "unknown-cycle-profile"),
        [row(
            "../environments/lab.yaml",
            7,
            7,
            "the initial (full) cycle names the run profile `Full Import`, which no run-profile table on this environment's path creates; the profiles are `Full Import (Stage Only)`"
        )]
    );
}
