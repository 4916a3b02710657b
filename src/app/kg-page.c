/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgPage: what every page of the window has in common, in one place. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "kg-page.h"
#include "kg-style.h"

typedef struct
{
  KgAppContext *context;
  KgProfile    *profile;
  GSignalGroup *profile_signals;
  GCancellable *operation;      /* the operation in flight, or NULL */
  GCancellable *cancellable;    /* background work for the current profile */
  char         *title;
  char         *icon_name;
} KgPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KgPage, kg_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_PROFILE,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_operation (KgPage       *self,
               GCancellable *operation)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);
  gboolean was_busy = priv->operation != NULL;

  if (priv->operation != NULL && priv->operation != operation)
    g_cancellable_cancel (priv->operation);
  g_set_object (&priv->operation, operation);
  if (was_busy != (operation != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
kg_page_dispose (GObject *object)
{
  KgPage *self = KG_PAGE (object);
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  if (priv->operation != NULL)
    g_cancellable_cancel (priv->operation);
  g_clear_object (&priv->operation);
  g_cancellable_cancel (priv->cancellable);
  if (priv->profile_signals != NULL)
    g_signal_group_set_target (priv->profile_signals, NULL);

  G_OBJECT_CLASS (kg_page_parent_class)->dispose (object);

  g_clear_object (&priv->profile);
}

static void
kg_page_finalize (GObject *object)
{
  KgPagePrivate *priv = kg_page_get_instance_private (KG_PAGE (object));

  g_clear_object (&priv->profile_signals);
  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->context);
  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->icon_name, g_free);

  G_OBJECT_CLASS (kg_page_parent_class)->finalize (object);
}

static void
kg_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  KgPage *self = KG_PAGE (object);
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, priv->context);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, priv->profile);
      break;
    case PROP_TITLE:
      g_value_set_string (value, priv->title);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, priv->icon_name);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, priv->operation != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_string (KgPage      *self,
            char       **field,
            const char  *value,
            GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
kg_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  KgPage *self = KG_PAGE (object);
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      priv->context = g_value_dup_object (value);
      break;
    case PROP_PROFILE:
      kg_page_set_profile (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      set_string (self, &priv->title, g_value_get_string (value), pspec);
      break;
    case PROP_ICON_NAME:
      set_string (self, &priv->icon_name, g_value_get_string (value), pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_page_class_init (KgPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_page_dispose;
  object_class->finalize = kg_page_finalize;
  object_class->get_property = kg_page_get_property;
  object_class->set_property = kg_page_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KG_TYPE_APP_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, KG_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_page_init (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  priv->profile_signals = g_signal_group_new (KG_TYPE_PROFILE);
  priv->cancellable = g_cancellable_new ();
  /* Pages look the same outside the application (tests, screenshots). */
  kg_style_ensure_loaded ();
}

static void
renew_cancellable (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
}

KgAppContext *
kg_page_get_context (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);
  return priv->context;
}

KgProfile *
kg_page_get_profile (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);
  return priv->profile;
}

void
kg_page_set_profile (KgPage    *self,
                     KgProfile *profile)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);
  g_autoptr(KgProfile) old_profile = NULL;

  g_return_if_fail (KG_IS_PAGE (self));
  g_return_if_fail (profile == NULL || KG_IS_PROFILE (profile));

  if (priv->profile == profile)
    return;

  /* Nothing of the previous connection carries over. */
  set_operation (self, NULL);
  renew_cancellable (self);
  old_profile = g_steal_pointer (&priv->profile);
  priv->profile = profile != NULL ? g_object_ref (profile) : NULL;
  g_signal_group_set_target (priv->profile_signals, profile);

  if (KG_PAGE_GET_CLASS (self)->profile_changed != NULL)
    KG_PAGE_GET_CLASS (self)->profile_changed (self, old_profile);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

GSignalGroup *
kg_page_get_profile_signals (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);
  return priv->profile_signals;
}

const char *
kg_page_get_title (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);
  return priv->title;
}

const char *
kg_page_get_icon_name (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);
  return priv->icon_name;
}

gboolean
kg_page_get_busy (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), FALSE);
  return priv->operation != NULL;
}

GCancellable *
kg_page_begin_operation (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);
  g_autoptr(GCancellable) operation = g_cancellable_new ();

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);

  set_operation (self, operation);
  return priv->operation;
}

void
kg_page_end_operation (KgPage       *self,
                       GCancellable *cancellable)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_if_fail (KG_IS_PAGE (self));

  if (cancellable == NULL || priv->operation != cancellable)
    return;
  g_clear_object (&priv->operation);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
kg_page_is_operation (KgPage       *self,
                      GCancellable *cancellable)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), FALSE);
  return cancellable != NULL && priv->operation == cancellable;
}

void
kg_page_cancel_operation (KgPage *self)
{
  g_return_if_fail (KG_IS_PAGE (self));
  set_operation (self, NULL);
}

GCancellable *
kg_page_get_cancellable (KgPage *self)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);
  return priv->cancellable;
}

void
kg_page_deactivate (KgPage *self)
{
  g_return_if_fail (KG_IS_PAGE (self));

  set_operation (self, NULL);
  renew_cancellable (self);
}

struct _KgPageCall
{
  KgPage       *page;           /* not a reference: see kg_page_call_end() */
  GCancellable *cancellable;
};

KgPageCall *
kg_page_call_new (KgPage       *self,
                  GCancellable *cancellable)
{
  KgPageCall *call;

  g_return_val_if_fail (KG_IS_PAGE (self), NULL);
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);

  call = g_new0 (KgPageCall, 1);
  call->page = self;
  call->cancellable = g_object_ref (cancellable);
  return call;
}

/* The page cancels its cancellables before it goes away, so a call whose
 * cancellable is not cancelled has a live page. */
gpointer
kg_page_call_end (KgPageCall *call)
{
  gpointer page;

  g_return_val_if_fail (call != NULL, NULL);

  page = g_cancellable_is_cancelled (call->cancellable) ? NULL : call->page;
  g_object_unref (call->cancellable);
  g_free (call);
  return page;
}

void
kg_page_report_error (KgPage       *self,
                      const GError *error)
{
  KgPagePrivate *priv = kg_page_get_instance_private (self);

  g_return_if_fail (KG_IS_PAGE (self));
  g_return_if_fail (error != NULL);

  if (priv->context != NULL)
    kg_app_context_report_error (priv->context, priv->profile, error);
}

void
kg_page_toast (KgPage     *self,
               const char *text)
{
  g_return_if_fail (KG_IS_PAGE (self));
  g_return_if_fail (text != NULL);

  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", text);
}

/* Scrolling a result into view ------------------------------------------ */

#define SCROLL_TARGET_KEY "kg-page-scroll-target"

static gboolean
scroll_now (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  GtkWidget *content;
  graphene_point_t point;
  double target;

  if (scroller == NULL)
    return TRUE;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  /* Where it is in the scrolled content, not in the part shown. */
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (content == NULL ||
      !gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point))
    return TRUE;
  target = MAX (point.y - 12, 0);
  gtk_adjustment_set_value (adjustment, target);
  return gtk_adjustment_get_value (adjustment) >= target - 1;
}

static void
scroll_adjustment_changed_cb (GtkAdjustment *adjustment,
                              gpointer       user_data)
{
  GtkWidget *widget = g_object_get_data (G_OBJECT (adjustment), SCROLL_TARGET_KEY);

  if (widget == NULL || scroll_now (widget))
    {
      g_signal_handlers_disconnect_by_func (adjustment, scroll_adjustment_changed_cb, NULL);
      g_object_set_data (G_OBJECT (adjustment), SCROLL_TARGET_KEY, NULL);
    }
}

void
kg_page_scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller;
  GtkAdjustment *adjustment;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (scroller == NULL)
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_signal_handlers_disconnect_by_func (adjustment, scroll_adjustment_changed_cb, NULL);
  g_object_set_data (G_OBJECT (adjustment), SCROLL_TARGET_KEY, NULL);
  if (scroll_now (widget))
    return;
  /* Dropped once reached, by the next scroll, or with the scrolled
   * window's adjustment. */
  g_object_set_data_full (G_OBJECT (adjustment), SCROLL_TARGET_KEY,
                          g_object_ref (widget), g_object_unref);
  g_signal_connect (adjustment, "changed", G_CALLBACK (scroll_adjustment_changed_cb), NULL);
}

/* The main action ----------------------------------------------------- */

void
kg_page_set_main_action (KgPage     *self,
                         const char *action_name)
{
  GtkEventController *controller;
  const guint keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter };

  g_return_if_fail (KG_IS_PAGE (self));
  g_return_if_fail (action_name != NULL);

  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (controller, "kg-page-main-action");
  /* Capture: a text view (the extra fields' JSON) would take Return. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkShortcutTrigger *trigger = gtk_keyval_trigger_new (keys[i], GDK_CONTROL_MASK);

      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                            gtk_shortcut_new (trigger,
                                                              gtk_named_action_new (action_name)));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Initial focus ---------------------------------------------------------- */

static GtkWidget *
find_first_text (GtkWidget *widget)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_sensitive (widget))
    return NULL;
  if (GTK_IS_TEXT (widget) && gtk_editable_get_editable (GTK_EDITABLE (widget)))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_first_text (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
kg_page_focus_first_field (KgPage *self)
{
  GtkWidget *text;

  g_return_val_if_fail (KG_IS_PAGE (self), FALSE);

  text = find_first_text (GTK_WIDGET (self));
  if (text == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *focus;

      /* A page without fields (Token, History) takes the focus too: left
       * on the page just hidden, GTK hands it on by itself, and a
       * selectable label (the token request's preview) it lands on opens
       * with all its text selected. */
      if (root == NULL)
        return FALSE;
      focus = gtk_root_get_focus (root);
      if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
        {
          if (!gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD))
            return FALSE;
          focus = gtk_root_get_focus (root);
        }
      if (GTK_IS_LABEL (focus))
        gtk_label_select_region (GTK_LABEL (focus), 0, 0);
      return FALSE;
    }
  /* Not gtk_widget_grab_focus (): a GtkText selects all its text then. */
  return gtk_text_grab_focus_without_selecting (GTK_TEXT (text));
}
