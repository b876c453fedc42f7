//! What a learner in one country sees: the curriculum without the lessons,
//! callouts and questions tagged for other legal regions, and with that
//! country's contacts in its placeholders (`model::Regions`,
//! `Organisation::countries`).

use super::load::Catalog;
use super::model::applies;

pub(super) const REGION_HINT: &str =
    "use \"eu\", \"uk\" or a country's ISO 3166-1 alpha-2 code in lowercase, e.g. \"us\", \"de\", \"es\"";

/// ISO 3166-1 alpha-2 codes, lowercase, two letters each (the United
/// Kingdom is "uk" among regions: see `model::Regions`).
const ISO_COUNTRIES: &str = "adaeafagaialamaoaqarasatauawaxazbabbbdbebfbgbhbibjblbmbnbobqbrbsbtbvbwbybzcacccdcfcgchcickclcmcncocrcucvcwcxcyczdedjdkdmdodzeceeegeherese\
tfifjfkfmfofrgagbgdgegfggghgiglgmgngpgqgrgsgtgugwgyhkhmhnhrhthuidieiliminioiqirisitjejmjojpkekgkhkikmknkpkrkwkykzlalblclilklrlsltlulvlymamcmdmemfmgmhmkmlmmmnmompmqmrmsmtmumvmwmxmymznancnenfngninlnonpnrnunzompapepfpgphpkplpmpnprpsptpwpyqarerorsrurwsasbscsdsesgshsisjskslsmsnsosrssstsvsxsysztctdtftgthtjtktltmtntotrtttvtwtzuaugumusuyuzvavcvevgvivnvuwfwsyeytzazmzw";

/// Whether `id` is an ISO 3166-1 alpha-2 code (lowercase).
pub fn is_country(id: &str) -> bool {
    id.len() == 2 && ISO_COUNTRIES.as_bytes().chunks(2).any(|c| c == id.as_bytes())
}

/// Whether `id` is a legal region tag content may name.
pub fn is_region(id: &str) -> bool {
    matches!(id, "eu" | "uk") || (id != "gb" && is_country(id))
}

impl Catalog {
    /// The organisation's id of the country a learner who chose `chosen`
    /// works in: that one if the organisation lists it, else the first
    /// (the default). None when the organisation lists no countries.
    pub fn country_of(&self, chosen: Option<&str>) -> Option<&str> {
        let countries = &self.organisation.countries;
        let listed = chosen.and_then(|id| countries.iter().find(|c| c.id == id));
        listed.or(countries.first()).map(|c| c.id.as_str())
    }

    /// The curriculum as a learner in `country` reads it; None when the
    /// organisation lists no countries (everyone reads it all) or does not
    /// list that one.
    pub fn for_country(&self, country: &str) -> Option<Catalog> {
        let regions = &self.organisation.country(country)?.regions;
        let mine = Some(regions.as_slice());
        let mut view = self.clone();
        let contacts = view.organisation.country(country).map(|c| c.contacts.clone()).unwrap_or_default();
        view.organisation.fields.extend(contacts);
        for module in &mut view.modules {
            module.lessons.retain(|l| applies(&l.regions, mine));
            for lesson in &mut module.lessons {
                lesson.callouts.retain(|c| applies(&c.regions, mine));
            }
            module.quiz.questions.retain(|q| applies(&q.regions, mine));
            // The validator refuses a module whose pool is smaller than its
            // draw for some country; a module loaded anyway draws what there is.
            let pool = module.quiz.questions.len();
            if pool > 0 {
                module.quiz.draw = module.quiz.draw.min(pool);
            }
        }
        Some(view)
    }
}

#[cfg(test)]
mod tests {
    use crate::content::{Country, embedded};

    #[test]
    fn a_learner_sees_untagged_content_and_their_regions_with_their_contacts() {
        let mut catalog = embedded();
        let country = |id: &str, regions: &[&str], crisis: &str| Country {
            id: id.into(),
            name: id.to_uppercase(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            contacts: [("crisis_contact".to_string(), crisis.to_string())].into(),
        };
        catalog.organisation.countries =
            vec![country("us", &["us"], "US desk"), country("de", &["eu", "de"], "DE desk")];
        let module = &mut catalog.modules[0];
        // Start from a module with nothing tagged, whatever the shipped one tags.
        for q in &mut module.quiz.questions {
            q.regions.clear();
        }
        for l in &mut module.lessons {
            l.regions.clear();
            l.callouts.iter_mut().for_each(|c| c.regions.clear());
        }
        let pool = module.quiz.questions.len();
        module.quiz.questions[0].regions = vec!["us".into()];
        module.quiz.questions[1].regions = vec!["eu".into()];
        module.lessons[0].regions = vec!["de".into()];
        let (id, first_lesson) = (module.id.clone(), module.lessons[0].id.clone());

        let us = catalog.for_country("us").expect("us");
        let m = us.module(&id).expect("module");
        assert_eq!(m.quiz.questions.len(), pool - 1, "the EU question is not in the US pool");
        assert!(m.lesson(&first_lesson).is_none(), "nor the German lesson");
        assert_eq!(us.organisation.value("crisis_contact"), Some("US desk"));

        let de = catalog.for_country("de").expect("de");
        let m = de.module(&id).expect("module");
        assert_eq!(m.quiz.questions.len(), pool - 1, "the US question is not in the German pool");
        assert!(m.lesson(&first_lesson).is_some());
        assert_eq!(de.organisation.value("crisis_contact"), Some("DE desk"));

        assert_eq!(catalog.country_of(Some("de")), Some("de"));
        assert_eq!(catalog.country_of(Some("fr")), Some("us"), "a country no longer listed: the first");
        assert_eq!(catalog.country_of(None), Some("us"));
        assert!(catalog.for_country("fr").is_none());
    }
}
