pub fn run(_ctx: &crate::app::Ctx, _args: crate::cli::ImportArgs) -> anyhow::Result<u8> {
    Err(crate::error::bad("not implemented yet"))
}
