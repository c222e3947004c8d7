// Saving a file made in the page (text or bytes), through a short-lived Blob URL.

/** Saves `data` (a string, a typed array or a Blob) as a file named `name` of MIME type `type`. */
export function download(name, data, type) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download synchronously; the URL only has to outlive this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
