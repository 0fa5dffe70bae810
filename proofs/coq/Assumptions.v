(** Print Assumptions for every main theorem.  proofs/check.sh compiles this
    file and fails unless each report is "Closed under the global context" or
    lists only the standard library's axioms of the real numbers. *)
Require Import Reals.
Require Import Momentum.Matrices Momentum.Quadratic Momentum.Regions Momentum.QuasiConvex
  Momentum.TunedHeavyBall Momentum.Tunings Momentum.Noise Momentum.TwoState Momentum.NesterovOptimal
  Momentum.Parameterizations Momentum.TripleRobust.

(* Theorem 1: velocity form and heavy ball (Matrices.v) *)
Print Assumptions velocity_heavy_ball_same_trace_det.
Print Assumptions velocity_heavy_ball_same_charpoly.
Print Assumptions heavy_ball_charpoly.
Print Assumptions nesterov_charpoly.
Print Assumptions companion_charpoly.
Print Assumptions T_Tinv.
Print Assumptions velocity_similar_heavy_ball.
Print Assumptions pytorch_nesterov_same_charpoly.
Print Assumptions mpow_conj.

(* Theorem 2: Schur-Jury (Quadratic.v) *)
Print Assumptions rho2_bounds_roots.
Print Assumptions rho2_attained.
Print Assumptions schur_jury.
Print Assumptions schur_jury_rho.
Print Assumptions schur_jury_scaled.
Print Assumptions schur_jury_scaled_rho.
Print Assumptions rho2_monotone_abs.

(* Theorem 3: convergence regions (Regions.v) *)
Print Assumptions rho_mat_spectral_radius.
Print Assumptions rho_vel_eq_hb.
Print Assumptions gd_region.
Print Assumptions hb_region.
Print Assumptions vel_region.
Print Assumptions nesterov_region.
Print Assumptions nesterov_region_pos_beta.

(* Theorem 4: tuned heavy ball (TunedHeavyBall.v) *)
Print Assumptions tuned_hb_rate.
Print Assumptions tuned_vel_rate.
Print Assumptions tuned_hb_critical_ends.
Print Assumptions hb_lower_bound.
Print Assumptions hb_optimal.
Print Assumptions hb_unique.

(* Theorem 4f: the two-state family (TwoState.v) *)
Print Assumptions rho_ts_hb.
Print Assumptions rho_ts_nes.
Print Assumptions ts_endpoint_max.
Print Assumptions two_state_lower_bound.
Print Assumptions two_state_optimal.
Print Assumptions two_state_unique.

(* Theorem 3f: the family's iteration matrix and Schur-Jury region (TwoState.v) *)
Print Assumptions ts_mat_step.
Print Assumptions ts_charpoly.
Print Assumptions rho_ts_mat.
Print Assumptions ts_region.
Print Assumptions ts_region_roots.
Print Assumptions ts_conv_interval.
Print Assumptions ts_conv_bounded.
Print Assumptions ts_disc_factored.

(* Theorem 1f: PyTorch SGD and QHM as members of the family (Parameterizations.v) *)
Print Assumptions ts_step_grad_form.
Print Assumptions ts_mat_p_step.
Print Assumptions ts_mat_p_charpoly.
Print Assumptions ts_mat_p_gamma.
Print Assumptions pytorch_sgd_grad_form.
Print Assumptions pytorch_sgd_family.
Print Assumptions pytorch_sgd_charpoly.
Print Assumptions pytorch_sgd_matrix_step.
Print Assumptions qhm_grad_form.
Print Assumptions qhm_family.
Print Assumptions qhm_matrix_step.
Print Assumptions qhm_charpoly.

(* Theorem TR: triple and robust momentum (TripleRobust.v) *)
Print Assumptions triple_momentum_ends.
Print Assumptions triple_momentum_rate.
Print Assumptions triple_momentum_roots.
Print Assumptions robust_momentum_ends.
Print Assumptions robust_momentum_rate.
Print Assumptions robust_momentum_at_lower_end.

(* Theorem 5: quasi-convexity (QuasiConvex.v) *)
Print Assumptions rho2_affine_endpoint_max.
Print Assumptions gd_endpoint_max.
Print Assumptions hb_endpoint_max.
Print Assumptions vel_endpoint_max.
Print Assumptions nes_endpoint_max.

(* Theorem 6: Jordan block at a double root (Matrices.v) *)
Print Assumptions cayley_hamilton.
Print Assumptions double_root_nilpotent.
Print Assumptions jordan_power.
Print Assumptions companion_double_root_jordan.
Print Assumptions heavy_ball_double_root_jordan.
Print Assumptions nesterov_double_root_jordan.
Print Assumptions velocity_double_root_jordan.

(* Optimal GD and Nesterov tunings (Tunings.v) *)
Print Assumptions gd_optimal_rate.
Print Assumptions gd_lower_bound.
Print Assumptions gd_unique.
Print Assumptions nesterov_tuning1_rate.
Print Assumptions nesterov_tuning2_rate.
Print Assumptions nesterov_tuning2_beats_tuning1.
Print Assumptions hb_critical_one.

(* Nesterov's optimal tuning (NesterovOptimal.v) *)
Print Assumptions nesterov_lower_bound.
Print Assumptions nesterov_unique.
Print Assumptions nesterov_optimal.

(* Stationary variance under noise (Noise.v) *)
Print Assumptions lyap_companion_solution.
Print Assumptions lyap_companion_unique.
Print Assumptions hb_stationary_variance.
Print Assumptions nes_stationary_variance.
Print Assumptions vel_stationary_variance.
