(** * Stationary variance under additive gradient noise (proofs/noise_variance.md,
      SPEC section 7): the discrete Lyapunov equation P = M P M^T + G has,
      for a companion matrix M, the unique solution given in closed form. *)
Require Import Reals Lra Psatz.
Require Import Momentum.Matrices.
Open Scope R_scope.

Definition mtrans (X : M2) : M2 := mk (m11 X) (m21 X) (m12 X) (m22 X).
Definition lyap (M P G : M2) : M2 := madd (mmul (mmul M P) (mtrans M)) G.
(** noise covariance g e1 e1^T *)
Definition E11 (g : R) : M2 := mk g 0 0 0.

(** Closed form for M = companion(-tau, b) = [[tau, -b], [1, 0]]:
    P = [[p, c], [c, p]], p = g (1+b) / ((1-b)((1+b)^2 - tau^2)), c = tau p/(1+b). *)
Definition lyap_p (tau b g : R) : R := g * (1 + b) / ((1 - b) * ((1 + b) * (1 + b) - tau * tau)).
Definition lyap_P (tau b g : R) : M2 :=
  mk (lyap_p tau b g) (tau * lyap_p tau b g / (1 + b)) (tau * lyap_p tau b g / (1 + b)) (lyap_p tau b g).

Definition denominators_ok (tau b : R) : Prop :=
  1 - b <> 0 /\ 1 + b <> 0 /\ (1 + b) * (1 + b) - tau * tau <> 0.

Theorem lyap_companion_solution : forall tau b g, denominators_ok tau b ->
  lyap (mk tau (- b) 1 0) (lyap_P tau b g) (E11 g) = lyap_P tau b g.
Proof.
  intros tau b g [H1 [H2 H3]].
  unfold lyap, lyap_P, lyap_p, E11, mtrans, madd, mmul; simpl.
  apply mk_eq; field; auto.
Qed.

Theorem lyap_companion_unique : forall tau b g P, denominators_ok tau b ->
  lyap (mk tau (- b) 1 0) P (E11 g) = P -> P = lyap_P tau b g.
Proof.
  intros tau b g [p c c' d] [H1 [H2 H3]] HP.
  unfold lyap, E11, mtrans, madd, mmul in HP; simpl in HP.
  injection HP as E1 E2 E3 E4.
  assert (Hd : d = p) by lra. subst d.
  assert (Hcc : (1 - b) * (c - c') = 0) by lra.
  apply Rmult_integral in Hcc. destruct Hcc as [Hcc | Hcc]; [contradiction |].
  assert (Hc' : c' = c) by lra. subst c'.
  assert (Hc : c = tau * p / (1 + b)) by (field_simplify_eq; [lra | exact H2]).
  assert (Hp : p * ((1 - b) * ((1 + b) * (1 + b) - tau * tau)) = g * (1 + b)).
  { subst c. field_simplify_eq in E1; try exact H2. nra. }
  assert (Hpv : p = lyap_p tau b g).
  { unfold lyap_p. apply (Rmult_eq_reg_r ((1 - b) * ((1 + b) * (1 + b) - tau * tau))).
    - rewrite Hp. field. split; auto.
    - intro Z. apply Rmult_integral in Z. destruct Z; auto. }
  unfold lyap_P. rewrite <- Hpv, <- Hc. reflexivity.
Qed.

(** ** Heavy ball: x+ = x - alpha (lambda x + xi) + beta (x - x-), Var xi = sigma^2:
    noise alpha xi in the first state component, G = alpha^2 sigma^2 e1 e1^T. *)
Theorem hb_stationary_variance : forall alpha beta lambda sigma,
  alpha <> 0 -> lambda <> 0 -> beta <> 1 -> 1 + beta <> 0 -> 2 * (1 + beta) - alpha * lambda <> 0 ->
  let tau := 1 + beta - alpha * lambda in
  lyap_p tau beta (alpha * alpha * (sigma * sigma)) =
  alpha * (sigma * sigma) * (1 + beta) / (lambda * (1 - beta) * (2 * (1 + beta) - alpha * lambda)).
Proof.
  intros alpha beta lambda sigma Ha Hl Hb1 Hb2 Hs tau.
  assert (E : (1 + beta) * (1 + beta) - tau * tau = alpha * lambda * (2 * (1 + beta) - alpha * lambda))
    by (unfold tau; ring).
  unfold lyap_p. rewrite E.
  field. repeat split; auto; lra.
Qed.

(** Nesterov: B = [[(1+beta) q, -beta q], [1, 0]], same noise input. *)
Theorem nes_stationary_variance : forall alpha beta lambda sigma,
  let q := 1 - alpha * lambda in
  alpha <> 0 -> lambda <> 0 -> beta * q <> 1 -> 1 + beta * q <> 0 -> 1 + (1 + 2 * beta) * q <> 0 ->
  lyap_p ((1 + beta) * q) (beta * q) (alpha * alpha * (sigma * sigma)) =
  alpha * (sigma * sigma) * (1 + beta * q) / (lambda * (1 - beta * q) * (1 + (1 + 2 * beta) * q)).
Proof.
  intros alpha beta lambda sigma q Ha Hl Hb1 Hb2 Hs.
  assert (E : (1 + beta * q) * (1 + beta * q) - (1 + beta) * q * ((1 + beta) * q)
              = alpha * lambda * (1 + (1 + 2 * beta) * q)) by (unfold q; ring).
  unfold lyap_p. rewrite E.
  field. repeat split; auto; lra.
Qed.

(** ** Velocity form: state [v; x], v+ = beta v + lambda x + xi, x+ = x - eta v+.
    The noise vector is (1, -eta) xi.  With P_A the heavy-ball solution
    (alpha = eta), P_R = T P_A T^T solves R's Lyapunov equation, and its
    x-entry (2,2) equals the heavy-ball variance. *)
Definition G_vel (eta g : R) : M2 := mk g (- eta * g) (- eta * g) (eta * eta * g).

Lemma vel_lyap_conj : forall eta beta lambda g P, eta <> 0 ->
  lyap (R_vel beta eta lambda) (mmul (mmul (T_sim eta) P) (mtrans (T_sim eta))) (G_vel eta g) =
  mmul (mmul (T_sim eta) (lyap (A_hb eta beta lambda) P (E11 (eta * eta * g)))) (mtrans (T_sim eta)).
Proof.
  intros eta beta lambda g [p c c' d] He.
  unfold lyap, G_vel, E11, R_vel, A_hb, T_sim, mtrans, madd, mmul; cbn [m11 m12 m21 m22].
  apply mk_eq; field; exact He.
Qed.

Theorem vel_stationary_variance : forall eta beta lambda g, eta <> 0 ->
  let tau := 1 + beta - eta * lambda in
  denominators_ok tau beta ->
  let PR := mmul (mmul (T_sim eta) (lyap_P tau beta (eta * eta * g))) (mtrans (T_sim eta)) in
  lyap (R_vel beta eta lambda) PR (G_vel eta g) = PR /\
  m22 PR = lyap_p tau beta (eta * eta * g).
Proof.
  intros eta beta lambda g He tau Hok PR.
  split.
  - unfold PR. rewrite vel_lyap_conj by exact He.
    replace (A_hb eta beta lambda) with (mk tau (- beta) 1 0) by reflexivity.
    rewrite lyap_companion_solution by exact Hok. reflexivity.
  - unfold PR, lyap_P, T_sim, mtrans, mmul; cbn [m11 m12 m21 m22]. ring.
Qed.
