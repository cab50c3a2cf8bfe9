//! The 21 sections of NACE Rev. 2, the EU's classification of economic activities: the controlled
//! industry that peer groups are built on (a client's free-text `industry` stays a note).

use std::str::FromStr;

use crate::domain::Lang;

macro_rules! sections {
    ($($variant:ident => $code:literal, $en:literal, $nl:literal;)+) => {
        /// A NACE Rev. 2 section, A to U.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum NaceSection { $($variant),+ }

        impl NaceSection {
            pub const ALL: [NaceSection; 21] = [$(NaceSection::$variant),+];

            /// The section's letter.
            pub fn code(self) -> &'static str {
                match self { $(NaceSection::$variant => $code),+ }
            }

            /// The section's official title in `lang`.
            pub fn label(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((NaceSection::$variant, Lang::En) => $en, (NaceSection::$variant, Lang::Nl) => $nl),+
                }
            }
        }
    };
}

sections! {
    A => "A", "Agriculture, forestry and fishing", "Landbouw, bosbouw en visserij";
    B => "B", "Mining and quarrying", "Winning van delfstoffen";
    C => "C", "Manufacturing", "Industrie";
    D => "D", "Electricity, gas, steam and air conditioning supply", "Productie en distributie van en handel in elektriciteit, aardgas, stoom en gekoelde lucht";
    E => "E", "Water supply; sewerage, waste management and remediation activities", "Winning en distributie van water; afval- en afvalwaterbeheer en sanering";
    F => "F", "Construction", "Bouwnijverheid";
    G => "G", "Wholesale and retail trade; repair of motor vehicles and motorcycles", "Groot- en detailhandel; reparatie van auto's";
    H => "H", "Transportation and storage", "Vervoer en opslag";
    I => "I", "Accommodation and food service activities", "Logies-, maaltijd- en drankverstrekking";
    J => "J", "Information and communication", "Informatie en communicatie";
    K => "K", "Financial and insurance activities", "Financiële instellingen";
    L => "L", "Real estate activities", "Verhuur van en handel in onroerend goed";
    M => "M", "Professional, scientific and technical activities", "Advisering, onderzoek en overige specialistische zakelijke dienstverlening";
    N => "N", "Administrative and support service activities", "Verhuur van roerende goederen en overige zakelijke dienstverlening";
    O => "O", "Public administration and defence; compulsory social security", "Openbaar bestuur, overheidsdiensten en verplichte sociale verzekeringen";
    P => "P", "Education", "Onderwijs";
    Q => "Q", "Human health and social work activities", "Gezondheids- en welzijnszorg";
    R => "R", "Arts, entertainment and recreation", "Cultuur, sport en recreatie";
    S => "S", "Other service activities", "Overige dienstverlening";
    T => "T", "Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use", "Huishoudens als werkgever; niet-gedifferentieerde productie van goederen en diensten door huishoudens voor eigen gebruik";
    U => "U", "Activities of extraterritorial organisations and bodies", "Extraterritoriale organisaties en lichamen";
}

impl FromStr for NaceSection {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NaceSection::ALL
            .into_iter()
            .find(|section| section.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| "must be a NACE Rev. 2 section, a letter from A to U".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_21_sections_run_from_a_to_u_and_parse_by_their_letter() {
        let codes: String = NaceSection::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, "ABCDEFGHIJKLMNOPQRSTU");
        assert_eq!("c".parse::<NaceSection>(), Ok(NaceSection::C));
        assert!("V".parse::<NaceSection>().is_err());
        assert!("AB".parse::<NaceSection>().is_err());
        assert_eq!(NaceSection::C.label(Lang::Nl), "Industrie");
    }
}
