fn main() {
    // A panic ends the app (panic = "abort"): say why in the console first.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("the app panicked: {info}").into());
    }));
    aind_results_browser::app::start();
}
