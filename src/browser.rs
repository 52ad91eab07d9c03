//! Small browser services: file downloads, the clipboard, and the embed height message.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Saves `text` as a file the user downloads (through a Blob URL, nothing leaves the browser).
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser refused to create the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to create the file".to_string())?;
    click_download(&url, file_name)?;
    // Some browsers start reading the file after click() returns: revoke the URL later.
    gloo_timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Saves what `href` points at (a `data:` or `blob:` URL made here) as a download.
pub fn click_download(href: &str, file_name: &str) -> Result<(), String> {
    let document = leptos::prelude::document();
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no document".to_string())?
        .unchecked_into();
    a.set_href(href);
    a.set_download(file_name);
    let _ = a.set_attribute("hidden", "");
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    Ok(())
}

/// Calls `f` with the element's width (CSS pixels) now and whenever it changes. Dropping the
/// returned guard stops it.
pub fn watch_width(el: &web_sys::Element, f: impl Fn(f64) + 'static) -> Option<WidthWatch> {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Some(e) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
            f(e.content_rect().width());
        }
    });
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(el);
    Some(WidthWatch(observer, callback))
}

/// Keeps a [`watch_width`] observer alive.
pub struct WidthWatch(
    web_sys::ResizeObserver,
    #[allow(dead_code)] Closure<dyn FnMut(js_sys::Array)>,
);

impl Drop for WidthWatch {
    fn drop(&mut self) {
        self.0.disconnect();
    }
}

/// Copies `text` to the clipboard; false when the browser does not allow it (the caller then shows
/// the text for manual copying).
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let clipboard = window.navigator().clipboard();
    if clipboard.is_undefined() {
        return false;
    }
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .is_ok()
}

/// The page's full address, for "copy link".
pub fn current_href() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// The site's origin (`https://host`), for iframe snippets.
pub fn current_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The message an embedded view sends to its parent window whenever its height changes.
pub const HEIGHT_MESSAGE: &str = "aind-results-browser:height";

/// In an iframe, reports the content height to the parent window now and whenever it changes.
/// Returns the observer, which must be kept alive (dropping it stops the reports).
pub fn report_height_to_parent() -> Option<web_sys::ResizeObserver> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    if parent == window {
        return None; // not embedded
    }
    let body = window.document()?.body()?;
    let send = move || {
        let Some(w) = web_sys::window() else { return };
        let Some(doc_el) = w.document().and_then(|d| d.document_element()) else {
            return;
        };
        // The content's own height (scrollHeight never drops below the frame's height, so a
        // frame sized by it could grow but never shrink).
        let height = doc_el.get_bounding_client_rect().height().ceil() as i32;
        let msg = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&msg, &"type".into(), &HEIGHT_MESSAGE.into());
        let _ = js_sys::Reflect::set(&msg, &"height".into(), &JsValue::from(height));
        let _ = js_sys::Reflect::set(&msg, &"href".into(), &current_href().into());
        if let Ok(Some(p)) = w.parent() {
            let _ = p.post_message(&msg, "*");
        }
    };
    send();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| send());
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    callback.forget();
    observer.observe(&body);
    Some(observer)
}

/// Calls `f` with whether a media query matches, now and on every change. The guard keeps the
/// listener.
pub fn watch_media(query: &str, f: impl Fn(bool) + 'static) -> Option<MediaWatch> {
    let list = web_sys::window()?.match_media(query).ok()??;
    f(list.matches());
    let callback = Closure::<dyn FnMut(web_sys::MediaQueryListEvent)>::new(
        move |e: web_sys::MediaQueryListEvent| f(e.matches()),
    );
    list.add_event_listener_with_callback("change", callback.as_ref().unchecked_ref())
        .ok()?;
    Some(MediaWatch(list, callback))
}

/// Keeps a [`watch_media`] listener alive.
pub struct MediaWatch(
    #[allow(dead_code)] web_sys::MediaQueryList,
    #[allow(dead_code)] Closure<dyn FnMut(web_sys::MediaQueryListEvent)>,
);
