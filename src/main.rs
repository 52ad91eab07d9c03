fn main() {
    aind_results_browser::app::start();
}
