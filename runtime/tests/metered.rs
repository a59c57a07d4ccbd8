//! The cost meter charges each successful call by the target's table, with `N` as documented.

use acec_runtime::{
    Accelerator, Charge, CostTable, EnergyRates, Engine, Kernel, KernelCost, Metered, PoolShape, SoftBackend,
    SpectrumLayout,
};

fn table() -> CostTable {
    CostTable::new(EnergyRates { cpu_pj_per_cycle: 354, multiplier_pj_per_cycle: 84, lea_pj_per_cycle: 100 })
        .with(Kernel::Rfft, KernelCost::from_cycles(Engine::Lea, 50.0, 1.0, 0.5))
        .with(Kernel::CmplxMac, KernelCost::from_cycles(Engine::Cpu, 10.0, 20.0, 0.0))
        .with(Kernel::Fir, KernelCost::from_cycles(Engine::Lea, 30.0, 0.25, 0.0))
        .with(Kernel::MaxPool, KernelCost::from_cycles(Engine::Cpu, 0.0, 3.0, 0.0))
}

#[test]
fn meter_charges_each_kernel_for_its_n() {
    let table = table();
    let mut acc = Metered::new(SoftBackend, &table);
    let mut data = [0i16; 64];
    acc.rfft(&mut data).unwrap(); // N = 64: 50 + 64 + 0.5 * 64 * 6 = 306 LEA cycles
    let spectrum = [1i16; 64];
    let mut sum = [0i32; 64];
    acc.cmplx_mac(SpectrumLayout::RealPacked, &spectrum, &spectrum, &mut sum).unwrap(); // N = 32 points
    acc.fir(&[0; 9], &[0; 2], &mut [0; 8]).unwrap(); // N = 8 * 2 = 16: 30 + 4 = 34
    let shape = PoolShape { channels: 1, height: 4, width: 4, window_h: 2, window_w: 2, stride_h: 2, stride_w: 2 };
    acc.max_pool(&[0; 16], &shape, i16::MIN, &mut [0; 4]).unwrap(); // N = 4 outputs * 4 = 16: 48
    acc.add(&[0; 4], &mut [0; 4]).unwrap(); // free in this table

    let meter = acc.take_meter();
    let lea = Charge { cycles: 306, lea_cycles: 306, lea_pj: 306 * 100, ..Charge::default() };
    assert_eq!(meter.kernel(Kernel::Rfft).charge, lea);
    assert_eq!(meter.kernel(Kernel::CmplxMac).charge, Charge { cycles: 650, cpu_pj: 650 * 354, ..Charge::default() });
    assert_eq!(meter.kernel(Kernel::Fir).charge.cycles, 34);
    assert_eq!(meter.kernel(Kernel::MaxPool).charge.cycles, 48);
    assert_eq!(meter.kernel(Kernel::Add).calls, 1);
    assert_eq!(meter.total.cycles, 306 + 650 + 34 + 48);
    assert_eq!(acc.meter().total, Charge::default(), "take_meter starts afresh");
}

#[test]
fn failed_calls_are_not_charged() {
    let table = table();
    let mut acc = Metered::new(SoftBackend, &table);
    assert!(acc.rfft(&mut [0i16; 12]).is_err());
    assert_eq!(acc.meter().kernel(Kernel::Rfft).calls, 0);
}

#[test]
fn metered_results_equal_unmetered_results() {
    let table = table();
    let mut metered = Metered::new(SoftBackend, &table);
    let mut a: Vec<i16> = (0..128).map(|i| (i * 97 % 2000) as i16 - 1000).collect();
    let mut b = a.clone();
    metered.rfft(&mut a).unwrap();
    SoftBackend.rfft(&mut b).unwrap();
    assert_eq!(a, b);
}
