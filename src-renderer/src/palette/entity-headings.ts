/** Group headings by entity type: plural, in words (never the raw type). */
const headings: Readonly<Record<string, string>> = {
  lead: 'Leads',
  contact: 'Contacts',
  account: 'Accounts',
  opportunity: 'Opportunities',
  meeting: 'Meetings',
  task: 'Tasks',
  placeholder: 'Placeholder results',
};

/** The heading of a group of `entityType` results; a type this list does not know still reads as a plural word. */
export function entityHeading(entityType: string): string {
  if (Object.hasOwn(headings, entityType)) return headings[entityType] as string;
  const words = entityType.replace(/[_-]+/g, ' ').trim();
  if (words === '') return 'Other results';
  const capital = words.charAt(0).toUpperCase() + words.slice(1);
  return /(s|x|ch|sh)$/i.test(capital)
    ? `${capital}es`
    : /[^aeiou]y$/i.test(capital)
      ? `${capital.slice(0, -1)}ies`
      : `${capital}s`;
}
