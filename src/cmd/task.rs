pub fn run_task(_ctx: &crate::app::Ctx, _args: crate::cli::TaskArgs) -> anyhow::Result<u8> {
    Err(crate::error::bad("not implemented yet"))
}
pub fn run_done(_ctx: &crate::app::Ctx, _args: crate::cli::DoneArgs) -> anyhow::Result<u8> {
    Err(crate::error::bad("not implemented yet"))
}
