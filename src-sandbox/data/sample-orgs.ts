/**
 * The sample Dataverse orgs of the demo tenant: a company with two orgs, as many have (one per
 * business unit or region). Each draws its own rows from its own seed, with its own customers,
 * ids and e-mail domain; the same sample users own rows in both.
 */
export interface SampleOrgProfile {
  /** Short name: the demo admin's label for the org, and its requests' label in the counters. */
  readonly label: string;
  /** How the CLI and comments name it. */
  readonly displayName: string;
  /** Customer names; the first accounts are "<stem> (sample)", the rest "<stem> <suffix> #n". */
  readonly companyStems: readonly string[];
  /** Domain of its contacts' e-mail addresses. */
  readonly contactDomain: string;
  /** Added to the sandbox's seed, so each org draws different rows. */
  readonly seedOffset: number;
  /** Second group of the org's fixed GUIDs (organization, business unit, currency, systemusers): each org its own ids. */
  readonly idTag: string;
}

/** The first org (the default everywhere a single org is used). */
export const contosoSample: SampleOrgProfile = {
  label: 'contoso',
  displayName: 'Contoso (sample)',
  // Names that exercise what real CRMs hold: apostrophes, accents, CJK, very long names, duplicates.
  companyStems: [
    'Contoso',
    'Fabrikam',
    'Northwind',
    'Adventure Works',
    'Tailspin',
    'Wingtip',
    'Litware',
    'Proseware',
    'Woodgrove',
    'Alpine Ski House',
    "O'Reilly Freight",
    'Café Société',
    '東京商事',
    'Coho Winery',
    'Trey Research',
    'Lucerne Publishing',
    'Margie’s Travel',
    'Humongous Insurance',
  ],
  contactDomain: 'contoso.example',
  seedOffset: 0,
  idTag: '0000',
};

/** The second org: the Fabrikam business unit, with customers of its own. */
export const fabrikamSample: SampleOrgProfile = {
  label: 'fabrikam',
  displayName: 'Fabrikam (sample)',
  companyStems: [
    'Fourth Coffee',
    'A. Datum',
    'Blue Yonder Airlines',
    'City Power & Light',
    'Coho Vineyard',
    'Consolidated Messenger',
    'Graphic Design Institute',
    'Lamna Healthcare',
    "Munson's Pickles",
    'Relecloud',
    'Southridge Video',
    'VanArsdel',
    'Wide World Importers',
    'Bellows College',
    'Brasserie Lefèvre',
    '大阪物産',
  ],
  contactDomain: 'fabrikam.example',
  seedOffset: 104_729,
  idTag: '0002',
};

/** Both orgs, the first first. */
export const sampleOrgs: readonly SampleOrgProfile[] = [contosoSample, fabrikamSample];
