/** mteb joins title and text with a space and strips (both 1.x and 2.x). */
export function corpusText(doc: { title: string; text: string }): string {
  return `${doc.title ?? ''} ${doc.text ?? ''}`.trim();
}
