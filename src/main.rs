//! Entry point of the Synthome web app: installs the panic hook and mounts [`synthome_app::App`].

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(synthome_app::App);
}
