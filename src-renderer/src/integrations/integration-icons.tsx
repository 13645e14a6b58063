import type { ReactNode } from 'react';

/**
 * Small line icons drawn in the current text colour (so they follow the light and dark themes).
 * The one renderer file that names integration ids: everything else is driven by main's data, and
 * an id this file does not know gets the generic icon.
 */
const shapes: Readonly<Record<string, ReactNode>> = {
  // A sail of two facets, after the Dynamics 365 mark.
  dynamics: <path d="M6 3l12 6.5-6.5 2.5 6.5 2.5L6 21z" />,
  // A cloud.
  salesforce: (
    <path d="M7 18.5h10.5a4 4 0 0 0 .6-7.95 5.5 5.5 0 0 0-10.2-1.3A4.65 4.65 0 0 0 7 18.5z" />
  ),
  // A calendar page.
  outlook: (
    <>
      <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
      <path d="M3.5 10h17M8 3v4M16 3v4M7.5 14h3M13.5 14h3M7.5 17h3" />
    </>
  ),
};

// A plug: an integration this renderer has no icon for.
const generic = <path d="M9 3v5M15 3v5M6.5 8h11v3.5a5.5 5.5 0 0 1-11 0zM12 17v4" />;

/** The icon of integration `id`, decorative (the card's name says what it is). */
export function IntegrationIcon({ id }: { readonly id: string }) {
  // Own keys only: an id such as `constructor` must not pick up Object.prototype.
  const known = Object.hasOwn(shapes, id);
  return (
    <svg
      className="integration-icon"
      viewBox="0 0 24 24"
      width="20"
      height="20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      data-icon={known ? id : 'generic'}
    >
      {known ? shapes[id] : generic}
    </svg>
  );
}
