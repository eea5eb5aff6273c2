// The search page's script, the only script of the site. It asks the
// Pagefind index the build made (plugins/midcycle/search.py) for the words
// in ?q= and lists the posts found. Without it the form still works as a
// form; the page says where else to look.
//
// Everything shown is put into the page as text: titles and dates as
// textContent, and of Pagefind's excerpts only the <mark> elements are kept
// (parsed in an inert document, where nothing runs or loads).

const MOST = 30;
const form = document.querySelector("form.search-form");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

function excerpt(html) {
  const paragraph = document.createElement("p");
  paragraph.className = "search-excerpt";
  const parsed = new DOMParser().parseFromString(html, "text/html");
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
}

function item(result) {
  // Result URLs are the posts' own, below the site's root (data-root).
  const url = new URL(result.url, form.dataset.bundle);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return null;
  }
  const entry = document.createElement("li");
  const link = document.createElement("a");
  link.href = url.href;
  link.textContent = result.meta.title || url.pathname;
  entry.append(link);
  if (result.meta.date) {
    const time = document.createElement("time");
    time.dateTime = result.meta.date;
    time.textContent = result.meta.date;
    entry.append(" ", time);
  }
  entry.append(excerpt(result.excerpt || ""));
  return entry;
}

async function search(query) {
  if (!form.dataset.bundle) {
    status.textContent = "This copy of the site has no search index: make publish builds one, "
      + "and so does any build with SEARCH_INDEX = True.";
    return;
  }
  status.textContent = "Searching…";
  let pagefind;
  try {
    pagefind = await import(form.dataset.bundle);
    await pagefind.options({ baseUrl: form.dataset.root });
  } catch (error) {
    status.textContent = "The search index could not be loaded; please try again later.";
    return;
  }
  const found = await pagefind.search(query);
  const results = await Promise.all(found.results.slice(0, MOST).map((result) => result.data()));
  list.replaceChildren(...results.map(item).filter(Boolean));
  const count = found.results.length;
  const shown = count > MOST ? `, the best ${MOST} shown` : "";
  status.textContent = count === 0
    ? `No posts found for “${query}”.`
    : `${count} post${count === 1 ? "" : "s"} found for “${query}”${shown}.`;
}

const query = (new URLSearchParams(location.search).get("q") || "").trim();
form.elements.q.value = query;
if (query) {
  search(query);
}
