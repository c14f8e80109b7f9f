// The docs come from an API: the page renders first and its title follows once the doc has loaded,
// as in many apps. (The delay stands for the request.)
export interface DocPage {
  title: string
  text: string
}

export const DOCS: Record<string, DocPage> = {
  'getting-started': { title: 'Getting started', text: 'Install the package, create one client, call init().' },
  'typed-events': { title: 'Typed events', text: 'createATrack<Events>() checks event names and attributes at compile time.' },
}

export function fetchDoc(slug: string): Promise<DocPage> {
  const doc = DOCS[slug] || { title: 'Not found', text: `No page ${slug}.` }
  return new Promise((resolve) => setTimeout(() => resolve(doc), 800))
}
