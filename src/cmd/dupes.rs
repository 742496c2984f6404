pub fn run_merge(_ctx: &crate::app::Ctx, _args: crate::cli::MergeArgs) -> anyhow::Result<u8> {
    Err(crate::error::bad("not implemented yet"))
}
pub fn run_dupes(_ctx: &crate::app::Ctx) -> anyhow::Result<u8> {
    Err(crate::error::bad("not implemented yet"))
}
