//! `import --from PRODUCT`: the column names of the customer exports of other
//! CRMs and address books, mapped to kith's fields. Each rule lists the
//! columns one field is made of; of a field's rules, the first whose columns
//! hold text in a row fills it (a Google `Name`, else given and family
//! name). Columns a file does not have are passed over, so one preset reads
//! every export of its product (Zoho Contacts, Accounts and Leads; HubSpot
//! contacts and companies).

/// The products whose exports `--from` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Preset {
    /// Zoho CRM: Contacts, Accounts and Leads exports
    Zoho,
    /// HubSpot: contacts and companies exports
    Hubspot,
    /// Salesforce: Contacts report or data export
    Salesforce,
    /// Google Contacts: "Google CSV", the current and the older layout
    Google,
    /// Outlook: "Outlook CSV" from Outlook, Outlook.com or Google
    Outlook,
}

/// The columns of one field. `family` names the column holding the family
/// name, which comes first without a space in CJK names; `kind` is the kind
/// of customer a row is when this rule gives its name.
#[derive(Debug)]
pub struct Rule {
    pub field: &'static str,
    pub columns: &'static [&'static str],
    pub family: Option<&'static str>,
    pub kind: Option<&'static str>,
}

const fn rule(field: &'static str, columns: &'static [&'static str]) -> Rule {
    Rule {
        field,
        columns,
        family: None,
        kind: None,
    }
}

/// A person's name from given (and middle) and family name.
const fn person(columns: &'static [&'static str], family: &'static str) -> Rule {
    Rule {
        field: "name",
        columns,
        family: Some(family),
        kind: Some("person"),
    }
}

/// A company's name, in an export of companies.
const fn company(column: &'static [&'static str]) -> Rule {
    Rule {
        field: "name",
        columns: column,
        family: None,
        kind: Some("company"),
    }
}

impl Preset {
    pub fn rules(self) -> &'static [Rule] {
        match self {
            Preset::Zoho => ZOHO,
            Preset::Hubspot => HUBSPOT,
            Preset::Salesforce => SALESFORCE,
            Preset::Google => GOOGLE,
            Preset::Outlook => OUTLOOK,
        }
    }

    /// The date form of the product's exports when `--date-format` is not
    /// given: Outlook writes the US form.
    pub fn date_format(self) -> Option<&'static str> {
        match self {
            Preset::Outlook => Some("%m/%d/%Y"),
            _ => None,
        }
    }

    /// The product's way of separating several tags in one cell, as a list
    /// of `;`-separated tags; Google's system groups (`* myContacts`) are
    /// dropped.
    pub fn tags(self, text: &str) -> String {
        let items: Vec<&str> = match self {
            Preset::Google => text
                .split(":::")
                .map(str::trim)
                .filter(|t| !t.starts_with('*'))
                .collect(),
            _ => text.split([';', ',']).map(str::trim).collect(),
        };
        items
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(";")
    }
}

const ZOHO: &[Rule] = &[
    person(&["First Name", "Last Name"], "Last Name"),
    company(&["Account Name"]),
    rule("organization", &["Account Name"]),
    rule("organization", &["Company"]),
    rule("owner", &["Contact Owner"]),
    rule("owner", &["Account Owner"]),
    rule("owner", &["Lead Owner"]),
    rule("source", &["Lead Source"]),
    rule("email", &["Email", "Secondary Email"]),
    rule("phone", &["Phone", "Mobile", "Home Phone", "Other Phone"]),
    rule(
        "address",
        &[
            "Mailing Street",
            "Mailing City",
            "Mailing State",
            "Mailing Zip",
            "Mailing Country",
        ],
    ),
    rule(
        "address",
        &[
            "Billing Street",
            "Billing City",
            "Billing State",
            "Billing Code",
            "Billing Country",
        ],
    ),
    rule(
        "address",
        &["Street", "City", "State", "Zip Code", "Country"],
    ),
    rule("website", &["Website"]),
    rule("birthday", &["Date of Birth"]),
    rule("note", &["Description"]),
    rule("tags", &["Tag"]),
];

const HUBSPOT: &[Rule] = &[
    person(&["First Name", "Last Name"], "Last Name"),
    company(&["Company name"]),
    rule("organization", &["Company Name"]),
    rule("organization", &["Associated Company"]),
    rule("owner", &["Contact owner"]),
    rule("owner", &["Company owner"]),
    rule("source", &["Original Source"]),
    rule("source", &["Original Traffic Source"]),
    rule("email", &["Email", "Additional email addresses"]),
    rule("phone", &["Phone Number", "Mobile Phone Number"]),
    rule(
        "address",
        &[
            "Street Address",
            "Street Address 2",
            "City",
            "State/Region",
            "Postal Code",
            "Country/Region",
        ],
    ),
    rule("website", &["Website URL"]),
    rule("note", &["Description"]),
];

const SALESFORCE: &[Rule] = &[
    person(&["First Name", "Last Name"], "Last Name"),
    person(&["FirstName", "LastName"], "LastName"),
    rule("organization", &["Account Name"]),
    rule("owner", &["Contact Owner"]),
    rule("owner", &["Owner Name"]),
    rule("source", &["Lead Source"]),
    rule("source", &["LeadSource"]),
    rule("email", &["Email"]),
    rule(
        "phone",
        &[
            "Phone",
            "Mobile",
            "Home Phone",
            "Other Phone",
            "MobilePhone",
            "HomePhone",
            "OtherPhone",
        ],
    ),
    rule(
        "address",
        &[
            "Mailing Street",
            "Mailing City",
            "Mailing State/Province",
            "Mailing Zip/Postal Code",
            "Mailing Country",
        ],
    ),
    rule(
        "address",
        &[
            "MailingStreet",
            "MailingCity",
            "MailingState",
            "MailingPostalCode",
            "MailingCountry",
        ],
    ),
    rule("birthday", &["Birthdate"]),
    rule("note", &["Description"]),
];

const GOOGLE: &[Rule] = &[
    rule("name", &["Name"]),
    person(&["First Name", "Middle Name", "Last Name"], "Last Name"),
    person(
        &["Given Name", "Additional Name", "Family Name"],
        "Family Name",
    ),
    rule(
        "organization",
        &["Organization Name", "Organization Department"],
    ),
    rule(
        "organization",
        &["Organization 1 - Name", "Organization 1 - Department"],
    ),
    rule(
        "email",
        &["E-mail 1 - Value", "E-mail 2 - Value", "E-mail 3 - Value"],
    ),
    rule(
        "phone",
        &["Phone 1 - Value", "Phone 2 - Value", "Phone 3 - Value"],
    ),
    rule(
        "address",
        &[
            "Address 1 - Street",
            "Address 1 - Extended Address",
            "Address 1 - PO Box",
            "Address 1 - City",
            "Address 1 - Region",
            "Address 1 - Postal Code",
            "Address 1 - Country",
        ],
    ),
    rule("address", &["Address 1 - Formatted"]),
    rule("website", &["Website 1 - Value"]),
    rule("birthday", &["Birthday"]),
    rule("note", &["Notes"]),
    rule("tags", &["Labels"]),
    rule("tags", &["Group Membership"]),
];

const OUTLOOK: &[Rule] = &[
    person(&["First Name", "Middle Name", "Last Name"], "Last Name"),
    rule("organization", &["Company", "Department"]),
    rule(
        "email",
        &["E-mail Address", "E-mail 2 Address", "E-mail 3 Address"],
    ),
    rule(
        "phone",
        &[
            "Primary Phone",
            "Business Phone",
            "Business Phone 2",
            "Mobile Phone",
            "Home Phone",
            "Home Phone 2",
            "Company Main Phone",
            "Other Phone",
        ],
    ),
    rule(
        "address",
        &[
            "Business Street",
            "Business Street 2",
            "Business Street 3",
            "Business City",
            "Business State",
            "Business Postal Code",
            "Business Country/Region",
        ],
    ),
    rule(
        "address",
        &[
            "Home Street",
            "Home Street 2",
            "Home Street 3",
            "Home City",
            "Home State",
            "Home Postal Code",
            "Home Country/Region",
        ],
    ),
    rule("website", &["Web Page"]),
    rule("website", &["Personal Web Page"]),
    rule("birthday", &["Birthday"]),
    rule("anniversary", &["Anniversary"]),
    rule("note", &["Notes"]),
    rule("tags", &["Categories"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_in_each_products_form() {
        assert_eq!(
            Preset::Google.tags("* myContacts ::: Clients ::: VIP"),
            "Clients;VIP"
        );
        assert_eq!(Preset::Outlook.tags("Clients;VIP"), "Clients;VIP");
        assert_eq!(Preset::Zoho.tags("east, wholesale"), "east;wholesale");
    }
}
